using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// Writes a pipeline's status only when it changed (the runtime's <see cref="StatusWriter{T, TStatus}"/>), with
/// <c>nextResyncTime</c> moved only along with a real change, and a stale copy retried once against the latest.
/// </summary>
public sealed class PipelineStatusWriter(ISpecStore store, TimeProvider time, TimeSpan resyncPeriod, PipelineMetrics metrics, ILogger<PipelineStatusWriter> logger)
{
    private readonly StatusWriter<PulumiPipeline, PipelineStatus> _writer = new SpecStoreObjectSource(store).StatusWriter();

    // The resourceVersion each of our status writes produced, to tell when the informer's copy predates it.
    private readonly ConcurrentDictionary<string, string> _written = new(StringComparer.Ordinal);

    /// <summary>
    /// The document to reconcile: the informer's copy, unless it predates our own last status write (the watch has
    /// not delivered it yet), in which case the store's. Decisions such as "is this drift" need the status we wrote.
    /// </summary>
    public async Task<PulumiPipeline> LatestAsync(PulumiPipeline cached, CancellationToken cancellationToken)
    {
        var name = cached.Metadata.Name;
        if (!_written.TryGetValue(name, out var version))
        {
            return cached;
        }
        if (version == cached.Metadata.ResourceVersion)
        {
            // The informer has delivered our write; it never hands out anything older again.
            _written.TryRemove(KeyValuePair.Create(name, version));
            return cached;
        }
        var latest = await store.GetAsync(name, cancellationToken);
        if (latest is null || latest.Metadata.Uid != cached.Metadata.Uid)
        {
            // Gone, or deleted and created again: our mark was for the old document, and the new one reaches us by the watch.
            _written.TryRemove(KeyValuePair.Create(name, version));
            return cached;
        }
        if (latest.Metadata.ResourceVersion == cached.Metadata.ResourceVersion)
        {
            // Someone wrote after us and the informer has that copy: it is caught up.
            _written.TryRemove(KeyValuePair.Create(name, version));
        }
        // Otherwise the mark stays: until the watch catches up, every reconcile must read past the stale copy, or it
        // would compose a status from an old one and write a change that is not one.
        return latest;
    }

    /// <summary>Forgets a document that is gone.</summary>
    public void Forget(string name) => _written.TryRemove(name, out _);

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
            return (Remember(await _writer.WriteAsync(current, next, cancellationToken)), true);
        }
        catch (StoreInvalidDocumentException e)
        {
            // The store's own measure (DynamoDB counts attribute names and values) is the last word on the limit.
            throw new StatusTooLargeException($"the document with its new status does not fit the store: {e.Message}", e);
        }
        catch (StoreConflictException)
        {
            // Our copy is stale (often our own previous write, not yet seen by the informer): try once on the latest.
            var latest = await store.GetAsync(current.Metadata.Name, cancellationToken);
            // Another uid is another document (deleted and created again under this name): this status is not its.
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
            return (Remember(await _writer.WriteAsync(latest, next, cancellationToken)), true);
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
                $"shrink the spec ({StoredDocumentJson.Size(current with { Status = null }):N0} bytes)");
        }
    }

    private PulumiPipeline Remember(PulumiPipeline written)
    {
        metrics.StatusWrites.Add(1);
        if (written.Metadata.ResourceVersion is { } version)
        {
            _written[written.Metadata.Name] = version;
        }
        return written;
    }
}
