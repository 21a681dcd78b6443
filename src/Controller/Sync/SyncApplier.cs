using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Writes a plan: creates and updates through the one document writer (<see cref="SpecApplier"/>), each refused as a
/// conflict when the stored document is no longer the one the plan was made from, so a document changed meanwhile
/// fails the sync instead of being overwritten; prunes last, on the planned resourceVersion. After each document
/// write its status gets <c>sourceRevision</c>.
/// </summary>
public sealed class SyncApplier(ISpecStore store)
{
    private const int StatusAttempts = 5;

    /// <summary>Called after each document written (for progress reports and tests that interrupt a sync part-way).</summary>
    public Action<SyncChange>? Written { get; init; }

    /// <exception cref="StoreConflictException">A document changed between planning and writing.</exception>
    public async Task ApplyAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        var writes = plan.Changes.Where(c => c.Action is SyncAction.Create or SyncAction.Update or SyncAction.Adopt).ToList();
        var planned = writes.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var templateWrites = plan.Templates.Where(c => c.Action is SyncAction.Create or SyncAction.Update or SyncAction.Adopt).ToList();
        var plannedTemplates = templateWrites.ToDictionary(c => c.Name, StringComparer.Ordinal);
        // Validated with the whole revision already (RevisionLoader), so the set is valid as it stands; the applier writes its templates first.
        var set = new SpecSet([.. writes.Select(c => c.Desired!)], [], writes.Count + templateWrites.Count, 0) { Templates = [.. templateWrites.Select(c => c.Desired!)] };
        const string Changed = "changed since the sync planned it; the next sync plans again";
        var options = new SpecApplyOptions
        {
            Precondition = (stored, incoming) => stored?.Metadata.ResourceVersion == planned[incoming.Metadata.Name].Current?.Metadata.ResourceVersion ? null : Changed,
            TemplatePrecondition = (stored, incoming) => stored?.Metadata.ResourceVersion == plannedTemplates[incoming.Metadata.Name].Current?.Metadata.ResourceVersion ? null : Changed,
        };
        try
        {
            await foreach (var result in new SpecApplier(store).ApplyAsync(set, options, cancellationToken))
            {
                if (result.Kind == PulumiPipelineTemplate.KindName)
                {
                    // Templates have no status to carry sourceRevision.
                    continue;
                }
                await RecordRevisionAsync(result.Name, plan.Revision, cancellationToken);
                Written?.Invoke(planned[result.Name]);
            }
        }
        catch (StoreAlreadyExistsException e)
        {
            throw new StoreConflictException($"a document was created by someone else while the sync ran ({e.Message}); the next sync plans again", e);
        }
        foreach (var change in plan.Of(SyncAction.Prune))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await store.DeleteAsync(change.Name, change.Current!.Metadata.ResourceVersion, cancellationToken);
            }
            catch (StoreNotFoundException)
            {
                // Already gone: the goal of a prune.
            }
            Written?.Invoke(change);
        }
        // After the specs: a spec pruned in the same revision no longer holds its template.
        foreach (var change in plan.Templates.Where(c => c.Action == SyncAction.Prune))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await store.Templates.DeleteAsync(change.Name, change.Current!.Metadata.ResourceVersion, cancellationToken);
            }
            catch (StoreNotFoundException)
            {
                // Already gone: the goal of a prune.
            }
        }
    }

    // The controller writes status too; its writes keep sourceRevision, so on a race read again and retry.
    private async Task RecordRevisionAsync(string name, string revision, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(name, cancellationToken)
                ?? throw new StoreNotFoundException($"document '{name}' was deleted while the sync wrote it");
            var status = (current.Status ?? new PipelineStatus()) with { SourceRevision = revision };
            try
            {
                await store.UpdateStatusAsync(name, current.Metadata.ResourceVersion!, current.Metadata.Uid, status, cancellationToken);
                return;
            }
            catch (StoreConflictException) when (attempt < StatusAttempts)
            {
                // Read again and retry.
            }
        }
    }
}
