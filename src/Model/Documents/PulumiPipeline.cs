namespace Reconciler.Model.Documents;

// Absent fields: the System.Text.Json source generator passes null (or 0) to init-only properties instead of
// keeping their initializers (dotnet/runtime#84484), so the init accessors put the defaults back.
/// <summary>A delivery pipeline for a Pulumi program, as declared by its owners (<c>kind: PulumiPipeline</c>).</summary>
public sealed record PulumiPipeline : IObject
{
    public const string CurrentApiVersion = "reconciler/v1";
    public const string KindName = "PulumiPipeline";

    public string ApiVersion { get; init; } = CurrentApiVersion;
    public string Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init => field = value ?? new(); } = new();
    public PipelineSpec Spec { get; init => field = value ?? new(); } = new();
    public PipelineStatus? Status { get; init; }
}
