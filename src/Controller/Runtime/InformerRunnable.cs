using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>
/// Runs one kind's informer (the shared cache) and, with several replicas, the lease coordinator that splits its keys;
/// ready once the first list is cached (and a lease heartbeat went out). Stopping releases every lease at once, so
/// other replicas take over without waiting for expiry.
/// </summary>
public sealed class InformerRunnable<T>(Informer<T> informer, LeaseCoordinator? coordinator = null) : IRunnable, IReadinessCheck, IAsyncDisposable
    where T : IObject
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _informerRun = Task.CompletedTask;
    private Task _coordinatorRun = Task.CompletedTask;

    public string Name => $"{informer.Kind} cache";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var token = _stopping.Token;
        if (coordinator is not null)
        {
            _coordinatorRun = Task.Run(() => coordinator.RunAsync(token), CancellationToken.None);
        }
        _informerRun = Task.Run(() => informer.RunAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        await Task.WhenAll(_informerRun, _coordinatorRun);
        if (coordinator is not null)
        {
            using var release = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            release.CancelAfter(TimeSpan.FromSeconds(5));
            await coordinator.ReleaseAllAsync(release.Token);
        }
    }

    public (bool Ready, string Detail) CheckReadiness()
    {
        var synced = informer.HasSynced;
        var detail = synced ? $"{informer.Kind} informer synced" : $"{informer.Kind} informer not synced yet";
        if (coordinator is null)
        {
            return (synced, detail);
        }
        var active = coordinator.IsActive;
        detail += active
            ? $"; {coordinator.HeldShards.Count} of {coordinator.ShardCount} shards held by {coordinator.Identity}"
            : "; no lease heartbeat yet";
        return (synced && active, detail);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        await Task.WhenAll(_informerRun, _coordinatorRun);
        _stopping.Dispose();
    }
}
