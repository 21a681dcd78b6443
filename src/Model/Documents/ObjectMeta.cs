namespace Reconciler.Model.Documents;

// Absent fields: the System.Text.Json source generator passes null (or 0) to init-only properties instead of
// keeping their initializers (dotnet/runtime#84484), so the init accessors put the defaults back.
/// <summary>Kubernetes-style object metadata; the store owns every field but name, labels and annotations.</summary>
public sealed record ObjectMeta
{
    public string Name { get; init => field = value ?? ""; } = "";
    public string? Uid { get; init; }
    public long Generation { get; init; }
    public string? ResourceVersion { get; init; }
    public DateTimeOffset? CreationTimestamp { get; init; }
    public DateTimeOffset? DeletionTimestamp { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public IReadOnlyList<string>? Finalizers { get; init; }
}
