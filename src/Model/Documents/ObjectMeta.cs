namespace Reconciler.Model.Documents;

/// <summary>Kubernetes-style object metadata; the store owns every field but name, labels and annotations.</summary>
public sealed record ObjectMeta
{
    public string Name { get; set; } = "";
    public string? Uid { get; set; }
    public long Generation { get; set; }
    public string? ResourceVersion { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public IReadOnlyDictionary<string, string>? Labels { get; set; }
    public IReadOnlyDictionary<string, string>? Annotations { get; set; }
    public IReadOnlyList<string>? Finalizers { get; set; }
}
