using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Syncs a source every interval, and at once when triggered (the git webhook). With a <see cref="NamedLease"/>, only
/// the replica holding it syncs, and a sync in flight stops when the lease is lost.
/// </summary>
public sealed class SyncLoop(Syncer syncer, TimeSpan interval, TimeProvider time, ILogger logger, NamedLease? lease = null)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Raised after every sync this replica ran (tests wait on it; the status record is the durable report).</summary>
    public event Action<SyncResult>? Synced;

    /// <summary>Asks for a sync now; several triggers before it starts make one sync.</summary>
    public void Trigger()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sync is already asked for.
        }
    }

    /// <summary>Runs until cancelled: the lease's own renewal loop (if any) beside the sync loop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var leaseLoop = lease?.RunAsync(cancellationToken) ?? Task.CompletedTask;
        try
        {
            await SyncLoopAsync(cancellationToken);
        }
        finally
        {
            await leaseLoop;
            if (lease is not null)
            {
                await lease.ReleaseAsync(CancellationToken.None);
            }
        }
    }

    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        var retry = lease?.RetryInterval ?? interval;
        while (!cancellationToken.IsCancellationRequested)
        {
            var holding = true;
            var tenure = CancellationToken.None;
            if (lease is not null)
            {
                holding = lease.TryGetTenure(out tenure);
            }
            if (holding)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tenure);
                try
                {
                    var result = await syncer.SyncAsync(dryRun: false, linked.Token);
                    Synced?.Invoke(result);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning("sync of {Source} stopped: the syncer lease was lost; the next holder completes the revision", syncer.Source.Id);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // A store or network fault: the loop must outlive it, and the next interval retries.
                    logger.LogError(ex, "sync of {Source} failed", syncer.Source.Id);
                }
            }
            try
            {
                // Not the holder: look again soon, so a replica that takes the lease over syncs without waiting an interval.
                using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var sleep = Task.Delay(holding ? interval : (interval < retry ? interval : retry), time, delay.Token);
                var woken = _wake.WaitAsync(delay.Token);
                await Task.WhenAny(sleep, woken);
                await delay.CancelAsync();
                await Task.WhenAll(sleep, woken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
