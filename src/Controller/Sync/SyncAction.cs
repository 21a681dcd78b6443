namespace Reconciler.Controller.Sync;

/// <summary>What a sync does to one document.</summary>
public enum SyncAction
{
    Unchanged,
    Create,
    Update,

    /// <summary>An update that takes over a document created by hand or by another source (<c>--adopt</c>).</summary>
    Adopt,
    Prune,

    /// <summary>Gone from the revision, but annotated <c>reconciler.io/sync-prune: disabled</c>: left in the store.</summary>
    KeepPruneDisabled,

    /// <summary>A stored document of the same name that this source does not own; left alone.</summary>
    Conflict,
}
