using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// Writes a pipeline's status only when it changed (the runtime's <see cref="StatusWriter{T, TStatus}"/>), with
/// <c>nextResyncTime</c> moved only along with a real change, and a copy another writer made stale retried once
/// against the latest. Each write is reported to <paramref name="cache"/>, so the next reconcile reads past the
/// informer's older copy (<see cref="Informer{T}.GetLatestAsync"/>).
/// </summary>
/// <remarks>The retry reads the latest copy through <paramref name="labelSelector"/>: a spec relabelled out of this
/// controller's scope while it was being reconciled is another controller's, and gets no status from this one.</remarks>
public sealed class PipelineStatusWriter(
    ISpecStore store, TimeProvider time, TimeSpan resyncPeriod, PipelineMetrics metrics, ILogger<PipelineStatusWriter> logger,
    Informer<PulumiPipeline>? cache = null, string? labelSelector = null)
{
    private readonly SpecStoreObjectSource _source = new(store, labelSelector);
    // Writes need no scope (the store's precondition refuses a stale copy); only the retry's read is scoped.
    private readonly StatusWriter<PulumiPipeline, PipelineStatus> _writer = new SpecStoreObjectSource(store).StatusWriter(cache);


    /// <summary>Writes <paramref name="next"/> (composed with the previous <c>nextResyncTime</c>); returns the document as stored.</summary>
    public async Task<PulumiPipeline> WriteAsync(PulumiPipeline current, PipelineStatus next, CancellationToken cancellationToken) =>
        (await WriteForGenerationAsync(current, next, cancellationToken)).Document;

    /// <summary>
    /// Writes <paramref name="next"/> as the record of what is about to be done to the resources; answers the stored
    /// document, or null when the status could not be recorded for <paramref name="current"/>'s generation because
    /// the document changed or is gone. Nothing may then be applied: a resource made without a record of it in
    /// <c>status.resources</c> is one that no later reconcile knows to delete.
    /// </summary>
    public async Task<PulumiPipeline?> RecordIntentAsync(PulumiPipeline current, PipelineStatus next, CancellationToken cancellationToken)
    {
        var (document, recorded) = await WriteForGenerationAsync(current, next, cancellationToken);
        return recorded ? document : null;
    }

    private async Task<(PulumiPipeline Document, bool Recorded)> WriteForGenerationAsync(PulumiPipeline current, PipelineStatus next, CancellationToken cancellationToken)
    {
        if (current.Status is { } existing && _writer.Same(existing, next))
        {
            metrics.StatusWritesSkipped.Add(1);
            return (current, true);
        }
        next = next with { NextResyncTime = time.GetUtcNow() + resyncPeriod };
        CheckSize(current, next);
        try
        {
            return (Counted(await _writer.WriteAsync(current, next, cancellationToken)), true);
        }
        catch (StoreInvalidDocumentException e)
        {
            // The store's own measure (DynamoDB counts attribute names and values) is the last word on the limit.
            throw new StatusTooLargeException($"the document with its new status does not fit the store: {e.Message}", e) { Document = current };
        }
        catch (StoreConflictException)
        {
            // Another writer changed the document since it was read (an apply, a reconcile-request, a delete; or this
            // reconcile's own intent when it goes on from the copy it started with): try once on the latest.
            var latest = await _source.GetAsync(current.Metadata.Name, cancellationToken);
            // Another uid is another document (deleted and created again under this name): this status is not its; and
            // none is a document gone, or gone out of this controller's selector.
            if (latest is null || latest.Metadata.Uid != current.Metadata.Uid || latest.Metadata.Generation != current.Metadata.Generation)
            {
                logger.LogDebug("Status of {Name} not written: the document changed; its next reconcile writes it", current.Metadata.Name);
                return (latest is not null && latest.Metadata.Uid == current.Metadata.Uid ? latest : current, false);
            }
            if (latest.Status is { } stored && _writer.Same(stored with { NextResyncTime = null }, next with { NextResyncTime = null }))
            {
                metrics.StatusWritesSkipped.Add(1);
                return (latest, true);
            }
            return (Counted(await _writer.WriteAsync(latest, next, cancellationToken)), true);
        }
        catch (StoreNotFoundException)
        {
            return (current, false);
        }
    }

    /// <summary>
    /// Refuses a status that would take the document over DynamoDB's item limit, whatever the store: a spec that
    /// runs here on SQLite must not start failing when its table moves to DynamoDB.
    /// </summary>
    private static void CheckSize(PulumiPipeline current, PipelineStatus next)
    {
        var size = StoredDocumentJson.Size(current with { Status = next });
        if (size > SpecValidator.MaxDocumentBytes)
        {
            throw new StatusTooLargeException(
                $"with its status the document would be {size:N0} bytes, over the 400 KB item limit; " +
                $"shrink the spec ({StoredDocumentJson.Size(current with { Status = null }):N0} bytes)")
            {
                Document = current,
            };
        }
    }

    private PulumiPipeline Counted(PulumiPipeline written)
    {
        metrics.StatusWrites.Add(1);
        return written;
    }
}
