namespace Reconciler.Controller.Sync;

/// <summary>How a sync ended.</summary>
public enum SyncOutcome
{
    /// <summary>The store already matched the revision; nothing was written.</summary>
    NoChange,

    /// <summary>Documents were written (or, in a dry run, would be).</summary>
    Applied,

    /// <summary>The revision holds an invalid document; nothing was written.</summary>
    Invalid,

    /// <summary>A document of the revision is owned by someone else; nothing was written.</summary>
    Conflict,

    /// <summary>The prune guardrail refused the revision; nothing was written.</summary>
    PruneRefused,

    /// <summary>Fetching, reading or writing failed; a partly written revision is resumed by the next sync.</summary>
    Failed,
}
