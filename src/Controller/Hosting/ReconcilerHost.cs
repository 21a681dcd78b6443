using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Web;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Hosting;

/// <summary>
/// The composition root (controller-runtime's manager): the pieces every part shares, built once (the spec store and
/// AWS clients it is given; the informer cache, the lease coordinator, the one web server and the engine registry),
/// and the runnables it starts on them. <c>run</c>, <c>demo</c>, the tests and the benchmark all go through it.
/// </summary>
/// <remarks>
/// Start: the web server (so <c>/healthz</c> answers during start-up), the cache (list, watch, leases), then each
/// runnable in the order added (a controller's workers wait for the cache to sync). Stop: the runnables in reverse order (the
/// controller drains its in-flight reconciles), then the cache (leases released at once), then the web server.
/// A runnable that is also <see cref="IWebRoutes"/> has its routes added; one that is <see cref="IReadinessCheck"/>
/// joins <c>/readyz</c>.
/// </remarks>
public sealed class ReconcilerHost : IAsyncDisposable
{
    private readonly List<IRunnable> _runnables = [];
    private readonly List<IReadinessCheck> _readiness = [];
    private readonly InformerRunnable<PulumiPipeline> _cacheRunner;
    private bool _started;
    private bool _disposed;

    /// <param name="store">The spec store, opened by the caller and closed by it after the host.</param>
    /// <param name="aws">The AWS clients, owned by the caller.</param>
    /// <param name="leases">Shard leases when several replicas share the work (owned by the host from here); null: alone.</param>
    public ReconcilerHost(
        ISpecStore store,
        AwsServices aws,
        ReconcilerHostOptions? options = null,
        TimeProvider? time = null,
        ILoggerFactory? loggers = null,
        LeaseCoordinator? leases = null,
        EngineRegistry? engines = null)
    {
        Store = store;
        Aws = aws;
        Options = options ?? new ReconcilerHostOptions();
        Options.Validate();
        Time = time ?? TimeProvider.System;
        Loggers = loggers ?? NullLoggerFactory.Instance;
        Leases = leases;
        Engines = engines ?? EngineRegistry.Default;
        Source = new SpecStoreObjectSource(store, Options.Selector);
        Cache = new Informer<PulumiPipeline>(
            Source,
            new InformerOptions<PulumiPipeline> { ResyncPeriod = Options.ResyncPeriod },
            Time,
            Loggers.CreateLogger<Informer<PulumiPipeline>>());
        _cacheRunner = new InformerRunnable<PulumiPipeline>(Cache, leases);
        _readiness.Add(_cacheRunner);
        if (Options.Web is { } web)
        {
            Web = WebServer.Create(web with { Meters = [PipelineMetrics.MeterName, SyncMetrics.MeterName, .. web.Meters ?? []] }, Loggers);
            Web.Add(new HealthRoutes(_readiness));
            Web.Add(new MetricsRoutes());
        }
    }

    public ISpecStore Store { get; }

    public AwsServices Aws { get; }

    public ReconcilerHostOptions Options { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>Null when this replica runs alone.</summary>
    public LeaseCoordinator? Leases { get; }

    public EngineRegistry Engines { get; }

    /// <summary>The runtime's view of the spec store (selector applied): list, watch, finalizers, status.</summary>
    public SpecStoreObjectSource Source { get; }

    /// <summary>The shared informer cache of specs; runnables add handlers to it and read from it.</summary>
    public Informer<PulumiPipeline> Cache { get; }

    /// <summary>The one web server; null when <see cref="ReconcilerHostOptions.Web"/> is.</summary>
    public WebServer? Web { get; }

    public IReadOnlyList<IRunnable> Runnables => _runnables;

    /// <summary>Adds a runnable (and its routes and readiness check); before <see cref="StartAsync"/>.</summary>
    public void Add(IRunnable runnable)
    {
        if (_started)
        {
            throw new InvalidOperationException($"runnable {runnable.Name} added after the host started");
        }
        _runnables.Add(runnable);
        if (runnable is IWebRoutes routes)
        {
            Web?.Add(routes);
        }
        if (runnable is IReadinessCheck check)
        {
            _readiness.Add(check);
        }
    }

    /// <summary>Starts everything and returns; <see cref="WaitForCacheSyncAsync"/> waits for the first list.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        if (Web is not null)
        {
            await Web.StartAsync(cancellationToken);
        }
        await _cacheRunner.StartAsync(cancellationToken);
        foreach (var runnable in _runnables)
        {
            await runnable.StartAsync(cancellationToken);
        }
    }

    /// <summary>Waits until the cache holds the first full list (the workers start then).</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) => Cache.WaitForSyncAsync(cancellationToken);

    /// <summary>Stops the runnables in reverse order, then the cache; the web server answers until disposal.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }
        _started = false;
        for (var i = _runnables.Count - 1; i >= 0; i--)
        {
            await _runnables[i].StopAsync(cancellationToken);
        }
        await _cacheRunner.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await StopAsync(CancellationToken.None);
        foreach (var runnable in Enumerable.Reverse(_runnables))
        {
            if (runnable is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
        await _cacheRunner.DisposeAsync();
        Cache.Dispose();
        Leases?.Dispose();
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }
    }
}
