namespace Reconciler.Controller.Engines;

/// <summary>What an apply did: counts of changes, the resources it touched with their ARNs, and the steps that failed.</summary>
public sealed record ApplyOutcome(int Creates, int Updates, int Deletes, IReadOnlyList<AppliedResource> Resources, IReadOnlyList<ApplyError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
