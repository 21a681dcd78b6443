using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// Writes a pipeline's status only when it changed (the runtime's <see cref="StatusWriter{T, TStatus}"/>), with
/// <c>nextResyncTime</c> moved only along with a real change, and a stale copy retried once against the latest.
/// </summary>
public sealed class PipelineStatusWriter(ISpecStore store, TimeProvider time, TimeSpan resyncPeriod, PipelineMetrics metrics, ILogger<PipelineStatusWriter> logger)
{
    private readonly StatusWriter<PulumiPipeline, PipelineStatus> _writer = new SpecStoreObjectSource(store).StatusWriter();

    /// <summary>Writes <paramref name="next"/> (composed with the previous <c>nextResyncTime</c>); returns the document as stored.</summary>
    public async Task<PulumiPipeline> WriteAsync(PulumiPipeline current, PipelineStatus next, CancellationToken cancellationToken)
    {
        if (current.Status is { } existing && _writer.Same(existing, next))
        {
            metrics.StatusWritesSkipped.Add(1);
            return current;
        }
        next = next with { NextResyncTime = time.GetUtcNow() + resyncPeriod };
        try
        {
            var written = await _writer.WriteAsync(current, next, cancellationToken);
            metrics.StatusWrites.Add(1);
            return written;
        }
        catch (StoreConflictException)
        {
            // Our copy is stale (often our own previous write, not yet seen by the informer): try once on the latest.
            var latest = await store.GetAsync(current.Metadata.Name, cancellationToken);
            if (latest is null || latest.Metadata.Generation != current.Metadata.Generation)
            {
                logger.LogDebug("Status of {Name} not written: the document changed; its next reconcile writes it", current.Metadata.Name);
                return latest ?? current;
            }
            if (latest.Status is { } stored && _writer.Same(stored with { NextResyncTime = null }, next with { NextResyncTime = null }))
            {
                metrics.StatusWritesSkipped.Add(1);
                return latest;
            }
            var written = await _writer.WriteAsync(latest, next, cancellationToken);
            metrics.StatusWrites.Add(1);
            return written;
        }
        catch (StoreNotFoundException)
        {
            return current;
        }
    }
}
