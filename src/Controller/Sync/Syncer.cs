using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

/// <summary>
/// One sync of a source: fetch, read and validate the whole revision, plan against the stored documents, check
/// ownership and the prune guardrail, then write, recording progress in the sync status so that an interrupted sync
/// is completed (to the same revision) before anything newer is applied.
/// </summary>
public sealed class Syncer(GitRepositoryCache cache, ISpecStore store, ISyncStatusStore statuses, SyncOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Passed to the applier: called after each document written.</summary>
    public Action<SyncChange>? Written { get; init; }

    public GitSource Source => options.Source;

    /// <summary>Syncs the ref's current revision (or, with <paramref name="dryRun"/>, plans it and writes nothing at all).</summary>
    public async Task<SyncResult> SyncAsync(bool dryRun, CancellationToken cancellationToken)
    {
        using var activity = SyncTracing.Source.StartActivity("sync", ActivityKind.Internal);
        activity?.SetTag("reconciler.sync.source", options.Source.Id);
        activity?.SetTag("reconciler.sync.ref", options.Source.Ref);
        activity?.SetTag("reconciler.sync.dry_run", dryRun);
        string revision;
        try
        {
            revision = await cache.FetchAsync(options.Source, cancellationToken);
        }
        catch (GitSourceException e)
        {
            logger.LogWarning("sync of {Source} failed: {Error}", options.Source.Id, e.Message);
            if (!dryRun)
            {
                await RecordAsync(null, SyncOutcome.Failed, null, e.Message, time.GetUtcNow(), cancellationToken);
            }
            activity?.SetStatus(ActivityStatusCode.Error, "fetch failed");
            if (!dryRun)
            {
                SyncMetrics.Record(SyncOutcome.Failed, options.Source.Id);
            }
            return new SyncResult(SyncOutcome.Failed, null, null, [e.Message]);
        }
        activity?.SetTag("reconciler.sync.revision", revision);
        string? resumed = null;
        if (!dryRun)
        {
            var (status, _) = await statuses.GetAsync(options.Source.Id, cancellationToken);
            if (status?.InProgress is { } pending && pending.Revision != revision)
            {
                // Finish what an interrupted sync began, so the store never stays a mix of two revisions.
                logger.LogInformation("sync of {Source}: completing interrupted revision {Revision} before {Next}", options.Source.Id, pending.Revision, revision);
                var completed = await SyncRevisionAsync(pending.Revision, dryRun, activity, cancellationToken);
                if (!completed.Succeeded)
                {
                    SyncMetrics.Record(completed.Outcome, options.Source.Id);
                    return completed with { ResumedRevision = pending.Revision };
                }
                resumed = pending.Revision;
            }
        }
        var result = await SyncRevisionAsync(revision, dryRun, activity, cancellationToken);
        activity?.SetTag("reconciler.sync.outcome", result.Outcome.ToString());
        if (!dryRun)
        {
            SyncMetrics.Record(result.Outcome, options.Source.Id);
        }
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Outcome.ToString());
        }
        return result with { ResumedRevision = resumed };
    }

    private async Task<SyncResult> SyncRevisionAsync(string revision, bool dryRun, Activity? activity, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            var folder = await cache.CheckoutAsync(options.Source, revision, cancellationToken);
            var storedTemplates = await store.Templates.ListAsync(cancellationToken);
            // A spec may name a template stored by hand or by another source; this source's own are only those the revision declares.
            var known = storedTemplates.Where(t => SyncPlanner.OwnerOf(t.Metadata) != options.Source.Id).ToDictionary(t => t.Metadata.Name, StringComparer.Ordinal);
            var loaded = await RevisionLoader.LoadAsync(folder, known, cancellationToken);
            if (!loaded.IsValid)
            {
                var errors = loaded.Errors.Select(e => e.StartsWith(folder, StringComparison.Ordinal) ? $"{options.Source.NormalizedPath}: no such directory in revision {revision}" : e).ToList();
                return await FinishAsync(new SyncResult(SyncOutcome.Invalid, revision, null, errors), dryRun, started,
                    $"{errors.Count} problem(s) in revision {Short(revision)}; nothing was written", cancellationToken);
            }
            var stored = await ListAllAsync(cancellationToken);
            var plan = SyncPlanner.Plan(options.Source, revision, loaded.Documents, stored, options.Adopt, activity?.Id) with
            {
                Templates = SyncPlanner.PlanTemplates(options.Source, revision, loaded.Templates, storedTemplates, options.Adopt),
            };
            var templateConflicts = plan.Templates.Where(c => c.Action == SyncAction.Conflict).ToList();
            if (plan.Conflicts.Count > 0 || templateConflicts.Count > 0)
            {
                var errors = plan.Conflicts.Select(c => $"{c.File}: $.metadata.name: '{c.Name}' exists in the store and is not owned by this source (owner: {c.Owner}); use --adopt to take it over")
                    .Concat(templateConflicts.Select(c => $"{c.File}: $.metadata.name: template '{c.Name}' exists in the store and is not owned by this source (owner: {c.Owner}); use --adopt to take it over")).ToList();
                return await FinishAsync(new SyncResult(SyncOutcome.Conflict, revision, plan, errors), dryRun, started,
                    $"{errors.Count} conflict(s); nothing was written", cancellationToken);
            }
            if (!options.Force && SyncPlanner.PruneRefusal(plan, options.MaxPruneShare) is { } refusal)
            {
                return await FinishAsync(new SyncResult(SyncOutcome.PruneRefused, revision, plan, [$"{refusal}; nothing was written (--force to prune anyway)"]), dryRun, started,
                    refusal, cancellationToken);
            }
            // Not overridden by --force: pruning it would stall every spec that names it (MissingTemplate).
            if (SyncPlanner.TemplatesInUse(plan, stored) is { Count: > 0 } inUse)
            {
                return await FinishAsync(new SyncResult(SyncOutcome.PruneRefused, revision, plan, inUse), dryRun, started,
                    string.Join("; ", inUse), cancellationToken);
            }
            if (dryRun)
            {
                return new SyncResult(plan.HasChanges ? SyncOutcome.Applied : SyncOutcome.NoChange, revision, plan, []);
            }
            var (status, version) = await statuses.GetAsync(options.Source.Id, cancellationToken);
            if (!plan.HasChanges && status is { LastAppliedRevision: { } applied, InProgress: null } && applied == revision
                && Conditions.IsTrue(status.Conditions, ConditionTypes.Ready))
            {
                return new SyncResult(SyncOutcome.NoChange, revision, plan, []);
            }
            if (plan.HasChanges)
            {
                await PutAsync((status ?? New()) with { LastAttemptedRevision = revision, InProgress = new SyncProgress(revision, started) }, version, cancellationToken);
            }
            await new SyncApplier(store) { Written = Written }.ApplyAsync(plan, cancellationToken);
            logger.LogInformation("synced {Source} to {Revision}: {Created} created, {Updated} updated, {Pruned} pruned, {Unchanged} unchanged",
                options.Source.Id, revision, plan.Count(SyncAction.Create), plan.Count(SyncAction.Update) + plan.Count(SyncAction.Adopt), plan.Count(SyncAction.Prune), plan.Count(SyncAction.Unchanged));
            return await FinishAsync(new SyncResult(plan.HasChanges ? SyncOutcome.Applied : SyncOutcome.NoChange, revision, plan, []), dryRun, started, null, cancellationToken);
        }
        catch (Exception e) when (e is GitSourceException or StoreException or IOException)
        {
            logger.LogWarning("sync of {Source} to {Revision} failed: {Error}", options.Source.Id, revision, e.Message);
            return await FinishAsync(new SyncResult(SyncOutcome.Failed, revision, null, [e.Message]), dryRun, started, e.Message, cancellationToken);
        }
    }

    private async Task<SyncResult> FinishAsync(SyncResult result, bool dryRun, DateTimeOffset started, string? message, CancellationToken cancellationToken)
    {
        if (!dryRun)
        {
            await RecordAsync(result.Revision, result.Outcome, result.Plan, message, started, cancellationToken);
        }
        return result;
    }

    private async Task RecordAsync(string? revision, SyncOutcome outcome, SyncPlan? plan, string? message, DateTimeOffset started, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (status, version) = await statuses.GetAsync(options.Source.Id, cancellationToken);
            var next = Next(status ?? New(), revision, outcome, plan, message, started);
            if (await statuses.TryPutAsync(next, version, cancellationToken) is not null)
            {
                return;
            }
        }
        logger.LogWarning("sync status of {Source} changed under every attempt to record it", options.Source.Id);
    }

    private SyncStatus Next(SyncStatus status, string? revision, SyncOutcome outcome, SyncPlan? plan, string? message, DateTimeOffset started)
    {
        var now = time.GetUtcNow();
        var succeeded = outcome is SyncOutcome.Applied or SyncOutcome.NoChange;
        // Invalid revisions, conflicts and refusals wait for a new commit (or a person); a failure is retried.
        var stalled = outcome is SyncOutcome.Invalid or SyncOutcome.Conflict or SyncOutcome.PruneRefused;
        var reason = outcome.ToString();
        var text = message ?? (succeeded ? $"revision {Short(revision)} applied" : reason);
        var conditions = status.Conditions;
        conditions = Conditions.Set(conditions, MakeCondition(ConditionTypes.Ready, succeeded, reason, text, now));
        conditions = Conditions.Set(conditions, MakeCondition(ConditionTypes.Stalled, stalled, reason, stalled ? text : "", now));
        var entry = new SyncHistoryEntry(revision ?? "", reason, now, Math.Round((now - started).TotalSeconds, 3),
            plan?.Count(SyncAction.Create) ?? 0, (plan?.Count(SyncAction.Update) ?? 0) + (plan?.Count(SyncAction.Adopt) ?? 0),
            plan?.Count(SyncAction.Prune) ?? 0, plan?.Count(SyncAction.Unchanged) ?? 0, succeeded ? null : message);
        return status with
        {
            Ref = options.Source.Ref,
            LastAttemptedRevision = revision ?? status.LastAttemptedRevision,
            LastAppliedRevision = succeeded ? revision : status.LastAppliedRevision,
            InProgress = succeeded ? null : status.InProgress,
            Conditions = conditions,
            Inventory = succeeded && plan is not null
                ? [.. plan.Changes.Where(c => Owned(c.Action)).Select(c => new SyncInventoryEntry(c.Name, c.File)).OrderBy(e => e.Name, StringComparer.Ordinal),
                    .. plan.Templates.Where(c => Owned(c.Action)).Select(c => new SyncInventoryEntry(c.Name, c.File, PulumiPipelineTemplate.KindName)).OrderBy(e => e.Name, StringComparer.Ordinal)]
                : status.Inventory,
            History = [entry, .. status.History.Take(Math.Max(0, options.HistoryLimit - 1))],
        };
    }

    private static bool Owned(SyncAction action) => action is not (SyncAction.Prune or SyncAction.KeepPruneDisabled or SyncAction.Conflict);

    private static Condition MakeCondition(string type, bool value, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type,
        Status = value ? ConditionStatus.True : ConditionStatus.False,
        Reason = reason,
        Message = message,
        LastTransitionTime = now,
    };

    private SyncStatus New() => new() { Source = options.Source.Id, Ref = options.Source.Ref };

    private async Task PutAsync(SyncStatus status, long version, CancellationToken cancellationToken)
    {
        if (await statuses.TryPutAsync(status, version, cancellationToken) is null)
        {
            throw new StoreConflictException($"the sync status of {options.Source.Id} was changed by another syncer; the next sync plans again");
        }
    }

    private async Task<List<PulumiPipeline>> ListAllAsync(CancellationToken cancellationToken)
    {
        var all = new List<PulumiPipeline>();
        string? continueToken = null;
        do
        {
            var page = await store.ListAsync(new ListOptions(Limit: 500, ContinueToken: continueToken), cancellationToken);
            all.AddRange(page.Items);
            continueToken = page.ContinueToken;
        }
        while (continueToken is not null);
        return all;
    }

    private static string Short(string? revision) => revision is { Length: > 12 } ? revision[..12] : revision ?? "(none)";
}
