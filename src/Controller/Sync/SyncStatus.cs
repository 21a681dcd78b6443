using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

// Absent fields: the System.Text.Json source generator passes null to init-only properties instead of keeping their
// initializers (dotnet/runtime#84484), so the init accessors put the defaults back.
/// <summary>The state of one source's sync, stored beside the documents (one record per source).</summary>
public sealed record SyncStatus
{
    public string Source { get; init => field = value ?? ""; } = "";
    public string? Ref { get; init; }
    public string? LastAttemptedRevision { get; init; }
    public string? LastAppliedRevision { get; init; }

    /// <summary>A revision whose writes began and did not finish; the next sync completes it before anything newer.</summary>
    public SyncProgress? InProgress { get; init; }
    public IReadOnlyList<Condition> Conditions { get; init => field = value ?? []; } = [];

    /// <summary>The documents this source owns as of the last applied revision.</summary>
    public IReadOnlyList<SyncInventoryEntry> Inventory { get; init => field = value ?? []; } = [];

    /// <summary>The latest syncs that changed something or failed, newest first.</summary>
    public IReadOnlyList<SyncHistoryEntry> History { get; init => field = value ?? []; } = [];
}

/// <summary>A revision being written, and when its writes began.</summary>
public sealed record SyncProgress(string Revision, DateTimeOffset StartedAt);

/// <summary>One owned document and the file that declares it.</summary>
/// <param name="Kind">Null for a PulumiPipeline; <c>PulumiPipelineTemplate</c> for a template.</param>
public sealed record SyncInventoryEntry(string Name, string? File, string? Kind = null);

/// <summary>One sync attempt: its revision, result (<c>Applied</c>, <c>Invalid</c>, <c>Conflict</c>, <c>PruneRefused</c>, <c>Failed</c>), duration and counts.</summary>
public sealed record SyncHistoryEntry(
    string Revision,
    string Result,
    DateTimeOffset FinishedAt,
    double DurationSeconds,
    int Created,
    int Updated,
    int Pruned,
    int Unchanged,
    string? Message);
