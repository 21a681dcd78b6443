using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Writes a plan, one conditional write per document: creates and updates first, prunes last, each against the
/// resourceVersion the plan was made from, so a document changed meanwhile fails the sync instead of being overwritten.
/// After each document write its status gets <c>sourceRevision</c>.
/// </summary>
public sealed class SyncApplier(ISpecStore store)
{
    private const int StatusAttempts = 5;

    /// <summary>Called after each document written (for progress reports and tests that interrupt a sync part-way).</summary>
    public Action<SyncChange>? Written { get; init; }

    /// <exception cref="StoreConflictException">A document changed between planning and writing.</exception>
    public async Task ApplyAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        foreach (var change in plan.Changes.Where(c => c.Action is SyncAction.Create or SyncAction.Update or SyncAction.Adopt))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var desired = change.Desired!;
            PulumiPipeline written;
            if (change.Action == SyncAction.Create)
            {
                try
                {
                    written = await store.CreateAsync(desired, cancellationToken);
                }
                catch (StoreAlreadyExistsException)
                {
                    throw new StoreConflictException($"document '{change.Name}' was created by someone else while the sync ran; the next sync plans again");
                }
            }
            else
            {
                written = await store.UpdateAsync(desired with
                {
                    Metadata = desired.Metadata with { ResourceVersion = change.Current!.Metadata.ResourceVersion },
                }, cancellationToken);
            }
            await RecordRevisionAsync(written, plan.Revision, cancellationToken);
            Written?.Invoke(change);
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
    }

    // The controller writes status too; its writes keep sourceRevision, so on a race read again and retry.
    private async Task RecordRevisionAsync(PulumiPipeline document, string revision, CancellationToken cancellationToken)
    {
        var current = document;
        for (var attempt = 1; ; attempt++)
        {
            var status = (current.Status ?? new PipelineStatus()) with { SourceRevision = revision };
            try
            {
                await store.UpdateStatusAsync(current.Metadata.Name, current.Metadata.ResourceVersion!, status, cancellationToken);
                return;
            }
            catch (StoreConflictException) when (attempt < StatusAttempts)
            {
                current = await store.GetAsync(current.Metadata.Name, cancellationToken) ?? throw new StoreNotFoundException($"document '{document.Metadata.Name}' was deleted while the sync wrote it");
            }
        }
    }
}
