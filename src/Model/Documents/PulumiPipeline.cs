namespace Reconciler.Model.Documents;

/// <summary>A delivery pipeline for a Pulumi program, as declared by its owners (<c>kind: PulumiPipeline</c>).</summary>
public sealed record PulumiPipeline : IObject
{
    public const string CurrentApiVersion = "reconciler/v1";
    public const string KindName = "PulumiPipeline";

    public string ApiVersion { get; set; } = CurrentApiVersion;
    public string Kind { get; set; } = KindName;
    public ObjectMeta Metadata { get; set; } = new();
    public PipelineSpec Spec { get; set; } = new();
    public PipelineStatus? Status { get; set; }
}
