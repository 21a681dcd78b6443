namespace Reconciler.Model.Planning;

/// <summary>A live resource with a desired name that this spec does not own; the plan never touches it.</summary>
/// <param name="Owner">Who the tags say owns it (e.g. <c>spec other (uid …)</c> or <c>unmanaged</c>).</param>
public sealed record OwnershipConflict(ResourceKind Kind, string Name, string Owner)
{
    public ResourceRef Resource => new(Kind, Name);

    public override string ToString() => $"{Kind}/{Name} exists and is not owned by this spec (owner: {Owner})";
}
