namespace Reconciler.Model.Planning;

/// <summary>One field that differs: its JSON path in the resource and the compact JSON of both sides (null = absent).</summary>
public sealed record FieldDelta(string Path, string? Old, string? New)
{
    public override string ToString() => $"{Path}: {Old ?? "(none)"} → {New ?? "(none)"}";
}
