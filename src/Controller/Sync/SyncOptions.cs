namespace Reconciler.Controller.Sync;

/// <summary>How one source is synced.</summary>
/// <param name="Adopt">Take over same-named documents created by hand or by another source instead of reporting a conflict.</param>
/// <param name="Force">Prune even past the guardrail.</param>
/// <param name="MaxPruneShare">The largest share of owned documents one sync may prune (default 0.5); pruning all of them always needs <paramref name="Force"/>.</param>
/// <param name="HistoryLimit">How many past syncs the status keeps.</param>
public sealed record SyncOptions(GitSource Source, bool Adopt = false, bool Force = false, double MaxPruneShare = 0.5, int HistoryLimit = 10);
