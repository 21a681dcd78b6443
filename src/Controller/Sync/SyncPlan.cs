namespace Reconciler.Controller.Sync;

/// <summary>What syncing one revision would do to the store, and whether the guardrails allow it.</summary>
/// <param name="Owned">How many stored documents this source owned before the sync.</param>
public sealed record SyncPlan(string Revision, IReadOnlyList<SyncChange> Changes, int Owned)
{
    public IEnumerable<SyncChange> Of(SyncAction action) => Changes.Where(c => c.Action == action);

    public int Count(SyncAction action) => Changes.Count(c => c.Action == action);

    /// <summary>True when applying the plan writes at least one document.</summary>
    public bool HasChanges => Changes.Any(c => c.Action is SyncAction.Create or SyncAction.Update or SyncAction.Adopt or SyncAction.Prune);

    public IReadOnlyList<SyncChange> Conflicts => [.. Of(SyncAction.Conflict)];
}
