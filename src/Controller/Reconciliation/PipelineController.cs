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
    private readonly Informer<PulumiPipelineTemplate> _templates;
    private readonly CancellationTokenSource _stopTemplates = new();
    private Task _templateWatch = Task.CompletedTask;
    private bool _disposed;

    /// <exception cref="FormatException">The engine named in the options is not registered.</exception>
    public PipelineController(ReconcilerHost host, PipelineControllerOptions options, PipelineMetrics? metrics = null, RuntimeMetrics? runtimeMetrics = null)
    {
        options.Validate();
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
        // Every replica watches every template (they are few); dependents are enqueued only on the shards it holds.
        _templates = new Informer<PulumiPipelineTemplate>(
            new TemplateStoreObjectSource(host.Store.Templates, options.TemplatePollInterval, time),
            new InformerOptions<PulumiPipelineTemplate>(),
            time,
            loggers.CreateLogger<Informer<PulumiPipelineTemplate>>());
        Reconciler = new PipelineReconciler(
            Reader,
            Engines,
            tokens,
            new PipelineStatusWriter(host.Store, time, resync, Metrics, loggers.CreateLogger<PipelineStatusWriter>(), _cache, host.Options.Selector),
            time,
            new PipelineReconcilerOptions { ResyncPeriod = resync, LockRetryBase = options.RetryBaseDelay },
            Metrics,
            loggers.CreateLogger<PipelineReconciler>(),
            name => _templates.TryGet(name, out var template) ? template : null);
        // Every resync, periodic or asked for, takes a new ListPipelines snapshot before its first reconcile.
        _cache.AddHandler(new ResyncStart(Reader));
        Controller = new Controller<PulumiPipeline>(
            Reconciler,
            _cache,
            host.Source,
            new ControllerOptions
            {
                Name = ControllerName,
                Workers = options.Workers,
                ReconcileTimeout = options.ReconcileTimeout,
                ShutdownTimeout = options.ShutdownTimeout,
                Queue = new WorkQueueOptions { BaseDelay = options.RetryBaseDelay },
            },
            time,
            loggers.CreateLogger<Controller<PulumiPipeline>>(),
            runtimeMetrics,
            host.Leases);
        Dependents = new TemplateDependents(Controller.EnqueueAfter, new BucketRateLimiter(options.TemplateFanOutRate, options.TemplateFanOutBurst, time),
            loggers.CreateLogger<TemplateDependents>());
        _cache.AddHandler(Dependents);
        _templates.AddHandler(Dependents);
        _workers = new ControllerRunnable<PulumiPipeline>(_cache, Controller, loggers.CreateLogger<ControllerRunnable<PulumiPipeline>>(), _templates.WaitForSyncAsync);
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

    /// <summary>The watch on templates: which specs name which template, and the fan-out of a template's change to them.</summary>
    public TemplateDependents Dependents { get; }

    /// <summary>The cache of templates the reconciler merges specs with.</summary>
    public Informer<PulumiPipelineTemplate> Templates => _templates;

    /// <summary>Starts the workers once the host's cache has synced.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stop = _stopTemplates.Token;
        _templateWatch = Task.Run(() => _templates.RunAsync(stop), CancellationToken.None);
        await _workers.StartAsync(cancellationToken);
        _logger.LogInformation("Pipeline controller starting: {Workers} workers, engine {Engine}", Options.Workers, Engine.Name);
    }

    /// <summary>Enqueues every cached spec now, through the same path as the periodic resync.</summary>
    public int ResyncNow() => _cache.ResyncNow();

    /// <summary>Stops taking work and lets in-flight reconciles finish (within the shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _workers.StopAsync(cancellationToken);
        await StopTemplatesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _workers.DisposeAsync();
        await StopTemplatesAsync();
        _templates.Dispose();
        _stopTemplates.Dispose();
        Controller.Dispose();
        if (_ownedReader is not null)
        {
            await _ownedReader.DisposeAsync();
        }
    }

    private async Task StopTemplatesAsync()
    {
        if (!_stopTemplates.IsCancellationRequested)
        {
            await _stopTemplates.CancelAsync();
        }
        await _templateWatch;
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
