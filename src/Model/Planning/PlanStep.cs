namespace Reconciler.Model.Planning;

/// <summary>One change to one resource, with the field deltas that motivate it (empty for creates and deletes).</summary>
public sealed record PlanStep(ResourceKind Kind, string Name, StepAction Action, IReadOnlyList<FieldDelta> Deltas)
{
    public ResourceRef Resource => new(Kind, Name);
}
