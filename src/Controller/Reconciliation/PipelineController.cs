using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Observation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// The pipeline controller assembled: an informer over the spec store, a work queue with workers, and the
/// <see cref="PipelineReconciler"/> with its live-state reader and engine. <c>run</c>, <c>demo</c> and the tests start this.
/// </summary>
public sealed class PipelineController : IAsyncDisposable
{
    public const string ControllerName = "pipelines";

    /// <summary>The converge engines <see cref="PipelineControllerOptions.Engine"/> may name.</summary>
    public static IReadOnlyList<string> EngineNames { get; } = [DirectEngine.EngineName];

    /// <summary>What is wrong with an engine name that is not one of <see cref="EngineNames"/>.</summary>
    public static string UnknownEngine(string engine) =>
        $"engine '{engine}' is not available; use {string.Join(" or ", EngineNames.Select(n => $"'{n}'"))}";

    private readonly ILogger _logger;
    private readonly IAsyncDisposable? _ownedReader;
    private readonly ReconcilerHostedService<PulumiPipeline> _host;
    private bool _started;

    public PipelineController(
        ISpecStore store,
        IObjectSource<PulumiPipeline> source,
        ICodeBuildClient codeBuild,
        ICodePipelineClient codePipeline,
        ISsmClient? ssm,
        PipelineControllerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        PipelineMetrics? metrics = null,
        RuntimeMetrics? runtimeMetrics = null,
        LeaseCoordinator? leases = null,
        ISecretsManagerClient? secrets = null)
    {
        Options = options;
        Metrics = metrics ?? PipelineMetrics.Default;
        _logger = loggers.CreateLogger<PipelineController>();
        if (options.NaiveObserver)
        {
            Reader = new NaiveLiveStateReader(codeBuild, codePipeline);
        }
        else
        {
            var reader = new LiveStateReader(codeBuild, codePipeline, time, new LiveStateReaderOptions
            {
                BatchWindow = options.BatchWindow,
                PipelineSnapshotPeriod = options.ResyncPeriod,
            }, loggers.CreateLogger<LiveStateReader>());
            Reader = reader;
            _ownedReader = reader;
        }
        Engine = options.Engine switch
        {
            DirectEngine.EngineName => new DirectEngine(codeBuild, codePipeline, Reader, loggers.CreateLogger<DirectEngine>()),
            _ => throw new ArgumentException(UnknownEngine(options.Engine), nameof(options)),
        };
        var tokens = options.SkipTokenCheck || ssm is null
            ? null
            : new AccessTokenCheck(ssm, secrets, time, options.TokenParameterTtl, TimeSpan.FromSeconds(30));
        Reconciler = new PipelineReconciler(
            Reader,
            Engine,
            tokens,
            new PipelineStatusWriter(store, time, options.ResyncPeriod, Metrics, loggers.CreateLogger<PipelineStatusWriter>()),
            time,
            new PipelineReconcilerOptions { ResyncPeriod = options.ResyncPeriod },
            Metrics,
            loggers.CreateLogger<PipelineReconciler>());
        Informer = new Informer<PulumiPipeline>(
            source,
            new InformerOptions<PulumiPipeline>(ResyncPeriod: options.ResyncPeriod),
            time,
            loggers.CreateLogger<Informer<PulumiPipeline>>());
        // Every resync, periodic or asked for, takes a new ListPipelines snapshot before its first reconcile.
        Informer.AddHandler(new ResyncStart(Reader));
        Controller = new Controller<PulumiPipeline>(
            Reconciler,
            Informer,
            source,
            new ControllerOptions(ControllerName, options.Workers, options.ReconcileTimeout, options.ShutdownTimeout,
                Queue: new WorkQueueOptions(ControllerName, BaseDelay: options.RetryBaseDelay)),
            time,
            loggers.CreateLogger<Controller<PulumiPipeline>>(),
            runtimeMetrics,
            leases);
        _host = new ReconcilerHostedService<PulumiPipeline>(Informer, Controller, leases, loggers.CreateLogger<ReconcilerHostedService<PulumiPipeline>>());
    }

    /// <summary>Informer synced (and leases held, with a coordinator): what <c>/readyz</c> asks.</summary>
    public IReadinessCheck Readiness => _host;

    public PipelineControllerOptions Options { get; }

    public PipelineMetrics Metrics { get; }

    public ILiveStateReader Reader { get; }

    public IConvergeEngine Engine { get; }

    public PipelineReconciler Reconciler { get; }

    public Informer<PulumiPipeline> Informer { get; }

    public Controller<PulumiPipeline> Controller { get; }

    /// <summary>Starts the informer and the workers, and waits until the first list is in the cache.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        await _host.StartAsync(cancellationToken);
        await Informer.WaitForSyncAsync(cancellationToken);
        _logger.LogInformation("Pipeline controller started: {Workers} workers, engine {Engine}, resync every {Resync}",
            Options.Workers, Engine.Name, Options.ResyncPeriod);
    }

    /// <summary>Enqueues every cached spec now, through the same path as the periodic resync.</summary>
    public int ResyncNow() => Informer.ResyncNow();

    /// <summary>Stops taking work, lets in-flight reconciles finish (within the shutdown timeout), stops the informer, releases leases.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }
        _started = false;
        await _host.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
        Controller.Dispose();
        Informer.Dispose();
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
