using System.Text.Json.Serialization;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Rendering;

// The hashes are computed when read, not when rendered: the controller renders every spec on every resync and
// diffs field by field, so it never reads them; `render`, the golden files and change detection in tests do.

/// <summary>Everything a spec implies in AWS: the request bodies the APIs take, plus a stable hash per resource.</summary>
public sealed record DesiredState
{
    public string SpecName { get; init; } = "";

    /// <summary>SHA-256 of the canonical JSON of the spec (hex, lower case).</summary>
    public string SpecHash => CanonicalJson.Hash(Spec, ModelJsonContext.Default.PipelineSpec);

    public IReadOnlyList<DesiredProject> Projects { get; init; } = [];

    public DesiredPipeline? Pipeline { get; init; }

    /// <summary>The spec this state was rendered from.</summary>
    [JsonIgnore]
    public PipelineSpec Spec { get; init; } = new();
}

/// <summary>A CodeBuild project and, for standalone stages, its webhook.</summary>
public sealed record DesiredProject
{
    public string Stage { get; init; } = "";

    public CodeBuildProject Project { get; init; } = new();

    public WebhookRequest? Webhook { get; init; }

    /// <summary>SHA-256 of the canonical JSON of project and webhook.</summary>
    public string Hash => PipelineRenderer.ProjectHash(Project, Webhook);
}

/// <summary>A CodePipeline V2 pipeline with the tags CreatePipeline takes.</summary>
public sealed record DesiredPipeline
{
    public PipelineDeclaration Declaration { get; init; } = new();

    public IReadOnlyList<AwsTag> Tags { get; init; } = [];

    /// <summary>SHA-256 of the canonical JSON of declaration and tags.</summary>
    public string Hash => PipelineRenderer.PipelineHash(Declaration, Tags);
}
