using System.Diagnostics;
using System.Diagnostics.Metrics;
using Reconciler.Controller.Sync;

namespace Reconciler.Controller.Telemetry;

/// <summary>The GitOps sync's instruments: one count per sync that wrote (or refused to write) the store, by result.</summary>
public static class SyncMetrics
{
    public const string MeterName = "Reconciler.Sync";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("reconciler_sync_runs_total",
        description: "Syncs of a config repository, by result (no_change, applied, invalid, conflict, prune_refused, failed).");

    /// <summary>Counts a sync that was not a dry run: a dry run changes nothing, so it is no sync result to alert on.</summary>
    public static void Record(SyncOutcome outcome, string source) =>
        Runs.Add(1, new TagList { { "result", ResultOf(outcome) }, { "source", source } });

    /// <summary>The label value of an outcome, in Prometheus' snake case.</summary>
    public static string ResultOf(SyncOutcome outcome) => outcome switch
    {
        SyncOutcome.NoChange => "no_change",
        SyncOutcome.Applied => "applied",
        SyncOutcome.Invalid => "invalid",
        SyncOutcome.Conflict => "conflict",
        SyncOutcome.PruneRefused => "prune_refused",
        _ => "failed",
    };
}
