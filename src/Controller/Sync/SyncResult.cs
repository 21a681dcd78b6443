namespace Reconciler.Controller.Sync;

/// <summary>The result of one sync: the revision, the plan (when one was made), and every problem found.</summary>
public sealed record SyncResult(SyncOutcome Outcome, string? Revision, SyncPlan? Plan, IReadOnlyList<string> Errors, string? ResumedRevision = null)
{
    public bool Succeeded => Outcome is SyncOutcome.NoChange or SyncOutcome.Applied;
}
