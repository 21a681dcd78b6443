namespace Reconciler.Model.Planning;

/// <summary>One AWS resource by kind and name; a webhook is named after its project.</summary>
public sealed record ResourceRef(ResourceKind Kind, string Name)
{
    public override string ToString() => $"{Kind}/{Name}";
}
