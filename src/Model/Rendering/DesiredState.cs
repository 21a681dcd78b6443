using Reconciler.Model.Aws;

namespace Reconciler.Model.Rendering;

/// <summary>Everything a spec implies in AWS: the request bodies the APIs take, plus a stable hash per resource.</summary>
public sealed record DesiredState
{
    public string SpecName { get; init; } = "";
    /// <summary>SHA-256 of the canonical JSON of the spec (hex, lower case).</summary>
    public string SpecHash { get; init; } = "";
    public IReadOnlyList<DesiredProject> Projects { get; init; } = [];
    public DesiredPipeline? Pipeline { get; init; }
}

/// <summary>A CodeBuild project and, for standalone stages, its webhook.</summary>
public sealed record DesiredProject
{
    public string Stage { get; init; } = "";
    public CodeBuildProject Project { get; init; } = new();
    public WebhookRequest? Webhook { get; init; }
    /// <summary>SHA-256 of the canonical JSON of project and webhook.</summary>
    public string Hash { get; init; } = "";
}

/// <summary>A CodePipeline V2 pipeline with the tags CreatePipeline takes.</summary>
public sealed record DesiredPipeline
{
    public PipelineDeclaration Declaration { get; init; } = new();
    public IReadOnlyList<AwsTag> Tags { get; init; } = [];
    /// <summary>SHA-256 of the canonical JSON of declaration and tags.</summary>
    public string Hash { get; init; } = "";
}
