using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Hosts one kind's informer, controller and (optionally) lease coordinator as a <see cref="IHostedService"/>.</summary>
/// <remarks>
/// The two runnables the composition root runs, in its order: start the cache (coordinator, informer), then the
/// workers once it has synced; stop (SIGTERM) the workers first, letting in-flight reconciles finish within the
/// controller's shutdown timeout (30 s by default), then the informer, then release every lease.
/// </remarks>
public sealed class ReconcilerHostedService<T> : IHostedService, IReadinessCheck, IAsyncDisposable where T : IObject
{
    private readonly InformerRunnable<T> _cache;
    private readonly ControllerRunnable<T> _workers;

    public ReconcilerHostedService(Informer<T> informer, Controller<T> controller, LeaseCoordinator? coordinator = null, ILogger<ReconcilerHostedService<T>>? logger = null)
    {
        _cache = new InformerRunnable<T>(informer, coordinator);
        _workers = new ControllerRunnable<T>(informer, controller, logger);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _cache.StartAsync(cancellationToken);
        await _workers.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _workers.StopAsync(cancellationToken);
        await _cache.StopAsync(cancellationToken);
    }

    public (bool Ready, string Detail) CheckReadiness() => _cache.CheckReadiness();

    public async ValueTask DisposeAsync()
    {
        await _workers.DisposeAsync();
        await _cache.DisposeAsync();
    }
}
