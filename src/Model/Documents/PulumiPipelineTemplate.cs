using System.Text.Json.Nodes;

namespace Reconciler.Model.Documents;

/// <summary>
/// Defaults many pipelines share (<c>kind: PulumiPipelineTemplate</c>): any part of a PulumiPipeline's spec. A spec
/// names it in <c>spec.template</c> and states only what differs; <see cref="Templates.TemplateMerge"/> defines how.
/// </summary>
public sealed record PulumiPipelineTemplate : IObject
{
    public const string KindName = "PulumiPipelineTemplate";

    public string ApiVersion { get; init; } = PulumiPipeline.CurrentApiVersion;
    public string Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init => field = value ?? new(); } = new();

    /// <summary>The defaults, in the shape of a PulumiPipeline spec with every field optional.</summary>
    public JsonObject Spec { get; init => field = value ?? []; } = [];
}
