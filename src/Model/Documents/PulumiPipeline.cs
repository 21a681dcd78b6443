namespace Reconciler.Model.Documents;

/// <summary>A delivery pipeline for a Pulumi program, as declared by its owners (<c>kind: PulumiPipeline</c>).</summary>
public sealed record PulumiPipeline : IObject
{
    public const string CurrentApiVersion = "reconciler/v1";
    public const string KindName = "PulumiPipeline";

    public string ApiVersion { get; init; } = CurrentApiVersion;
    public string Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public PipelineSpec Spec { get; init; } = new();
    public PipelineStatus? Status { get; init; }
}
