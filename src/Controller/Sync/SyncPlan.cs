namespace Reconciler.Controller.Sync;

/// <summary>What syncing one revision would do to the store, and whether the guardrails allow it.</summary>
/// <param name="Owned">How many stored documents this source owned before the sync.</param>
public sealed record SyncPlan(string Revision, IReadOnlyList<SyncChange> Changes, int Owned)
{
    /// <summary>The revision's templates and the owned ones it no longer declares; written before the specs, pruned after them.</summary>
    public IReadOnlyList<SyncTemplateChange> Templates { get; init; } = [];

    public IEnumerable<SyncChange> Of(SyncAction action) => Changes.Where(c => c.Action == action);

    /// <summary>How many documents of both kinds get <paramref name="action"/>.</summary>
    public int Count(SyncAction action) => Changes.Count(c => c.Action == action) + Templates.Count(c => c.Action == action);

    /// <summary>True when applying the plan writes at least one document (of either kind).</summary>
    public bool HasChanges => Changes.Any(c => Writes(c.Action)) || Templates.Any(c => Writes(c.Action));

    private static bool Writes(SyncAction action) => action is SyncAction.Create or SyncAction.Update or SyncAction.Adopt or SyncAction.Prune;

    public IReadOnlyList<SyncChange> Conflicts => [.. Of(SyncAction.Conflict)];
}
