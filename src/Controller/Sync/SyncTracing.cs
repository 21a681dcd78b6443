using System.Diagnostics;

namespace Reconciler.Controller.Sync;

/// <summary>The sync's spans (<c>ActivitySource</c> <c>Reconciler.Sync</c>): one <c>sync</c> span per run, whose context goes onto every written document.</summary>
public static class SyncTracing
{
    public const string SourceName = "Reconciler.Sync";

    public static ActivitySource Source { get; } = new(SourceName);
}
