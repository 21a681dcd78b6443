using Microsoft.Extensions.Logging;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Observation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// The pipeline controller, a runnable of the <see cref="ReconcilerHost"/>: a work queue with workers over the host's
/// shared cache, and the <see cref="PipelineReconciler"/> with its live-state reader and the engine the registry builds.
/// </summary>
public sealed class PipelineController : IRunnable, IAsyncDisposable
{
    public const string ControllerName = "pipelines";

    private readonly ILogger _logger;
    private readonly IAsyncDisposable? _ownedReader;
    private readonly Informer<PulumiPipeline> _cache;
    private readonly ControllerRunnable<PulumiPipeline> _workers;
    private bool _disposed;

    /// <exception cref="FormatException">The engine named in the options is not registered.</exception>
    public PipelineController(ReconcilerHost host, PipelineControllerOptions options, PipelineMetrics? metrics = null, RuntimeMetrics? runtimeMetrics = null)
    {
        Options = options;
        Metrics = metrics ?? PipelineMetrics.Default;
        var loggers = host.Loggers;
        var time = host.Time;
        var resync = host.Options.ResyncPeriod;
        _logger = loggers.CreateLogger<PipelineController>();
        _cache = host.Cache;
        if (options.NaiveObserver)
        {
            Reader = new NaiveLiveStateReader(host.Aws.CodeBuild, host.Aws.CodePipeline);
        }
        else
        {
            var reader = new LiveStateReader(host.Aws.CodeBuild, host.Aws.CodePipeline, time, new LiveStateReaderOptions
            {
                BatchWindow = options.BatchWindow,
                PipelineSnapshotPeriod = resync,
            }, loggers.CreateLogger<LiveStateReader>());
            Reader = reader;
            _ownedReader = reader;
        }
        Engines = new ConvergeEngines(host.Engines, options.Engine, new EngineContext(host.Aws, Reader, time, loggers, options.EngineSettings));
        Engine = Engines.Default;
        var tokens = options.SkipTokenCheck || host.Aws.Ssm is null
            ? null
            : new AccessTokenCheck(host.Aws.Ssm, host.Aws.SecretsManager, time, options.TokenParameterTtl, TimeSpan.FromSeconds(30));
        Reconciler = new PipelineReconciler(
            Reader,
            Engines,
            tokens,
            new PipelineStatusWriter(host.Store, time, resync, Metrics, loggers.CreateLogger<PipelineStatusWriter>()),
            time,
            new PipelineReconcilerOptions { ResyncPeriod = resync, LockRetryBase = options.RetryBaseDelay },
            Metrics,
            loggers.CreateLogger<PipelineReconciler>());
        // Every resync, periodic or asked for, takes a new ListPipelines snapshot before its first reconcile.
        _cache.AddHandler(new ResyncStart(Reader));
        Controller = new Controller<PulumiPipeline>(
            Reconciler,
            _cache,
            host.Source,
            new ControllerOptions(ControllerName, options.Workers, options.ReconcileTimeout, options.ShutdownTimeout,
                Queue: new WorkQueueOptions(ControllerName, BaseDelay: options.RetryBaseDelay)),
            time,
            loggers.CreateLogger<Controller<PulumiPipeline>>(),
            runtimeMetrics,
            host.Leases);
        _workers = new ControllerRunnable<PulumiPipeline>(_cache, Controller, loggers.CreateLogger<ControllerRunnable<PulumiPipeline>>());
    }

    public string Name => ControllerName;

    public PipelineControllerOptions Options { get; }

    public PipelineMetrics Metrics { get; }

    public ILiveStateReader Reader { get; }

    /// <summary>The controller's <c>--engine</c>, the engine of every spec without <c>spec.engine</c>.</summary>
    public IConvergeEngine Engine { get; }

    /// <summary>The default engine and those specs name in <c>spec.engine</c>.</summary>
    public ConvergeEngines Engines { get; }

    public PipelineReconciler Reconciler { get; }

    public Controller<PulumiPipeline> Controller { get; }

    /// <summary>Starts the workers once the host's cache has synced.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _workers.StartAsync(cancellationToken);
        _logger.LogInformation("Pipeline controller starting: {Workers} workers, engine {Engine}", Options.Workers, Engine.Name);
    }

    /// <summary>Enqueues every cached spec now, through the same path as the periodic resync.</summary>
    public int ResyncNow() => _cache.ResyncNow();

    /// <summary>Stops taking work and lets in-flight reconciles finish (within the shutdown timeout).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _workers.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _workers.DisposeAsync();
        Controller.Dispose();
        if (_ownedReader is not null)
        {
            await _ownedReader.DisposeAsync();
        }
    }

    private sealed class ResyncStart(ILiveStateReader reader) : IInformerHandler<PulumiPipeline>
    {
        public void OnResyncStarting() => reader.StartResync();

        public void OnAdd(PulumiPipeline added)
        {
        }

        public void OnUpdate(PulumiPipeline previous, PulumiPipeline current)
        {
        }

        public void OnDelete(PulumiPipeline deleted)
        {
        }

        public void OnResync(PulumiPipeline cached)
        {
        }
    }
}
