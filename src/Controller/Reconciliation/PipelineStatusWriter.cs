using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// Writes a document's status only when it changed: the JSON of old and new status is compared with
/// <c>nextResyncTime</c> left out (it moves every reconcile), so a steady state costs no store write.
/// </summary>
public sealed class PipelineStatusWriter(ISpecStore store, PipelineMetrics metrics, ILogger<PipelineStatusWriter> logger)
{
    /// <summary>The document as stored after the write (or as given when nothing needed writing).</summary>
    public async Task<PulumiPipeline> WriteAsync(PulumiPipeline current, PipelineStatus next, CancellationToken cancellationToken)
    {
        if (Same(current.Status, next))
        {
            metrics.StatusWritesSkipped.Add(1);
            return current;
        }
        var name = current.Metadata.Name;
        try
        {
            var written = await store.UpdateStatusAsync(name, current.Metadata.ResourceVersion ?? "", next, cancellationToken);
            metrics.StatusWrites.Add(1);
            return written;
        }
        catch (StoreConflictException)
        {
            // Our copy is stale (often just our own previous write not yet seen): look at the latest once.
            var latest = await store.GetAsync(name, cancellationToken);
            if (latest is null || latest.Metadata.Generation != current.Metadata.Generation)
            {
                logger.LogDebug("Status of {Name} not written: the document changed; the next reconcile writes it", name);
                return latest ?? current;
            }
            if (Same(latest.Status, next))
            {
                metrics.StatusWritesSkipped.Add(1);
                return latest;
            }
            var written = await store.UpdateStatusAsync(name, latest.Metadata.ResourceVersion ?? "", next, cancellationToken);
            metrics.StatusWrites.Add(1);
            return written;
        }
        catch (StoreNotFoundException)
        {
            return current;
        }
    }

    /// <summary>True when both statuses are equal but for <c>nextResyncTime</c>.</summary>
    public static bool Same(PipelineStatus? a, PipelineStatus? b) =>
        a is not null && b is not null && Json(a) == Json(b);

    private static string Json(PipelineStatus status) =>
        JsonSerializer.Serialize(status with { NextResyncTime = null }, ModelJsonContext.Default.PipelineStatus);
}
