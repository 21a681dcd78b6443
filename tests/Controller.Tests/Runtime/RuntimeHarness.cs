using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.Tracing;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>A store, an informer, a controller and the sample reconciler wired together on a fake clock.</summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    private static readonly RuntimeMetrics Metrics = new();
    private readonly CancellationTokenSource _informerStop = new();
    private Task _informerRun = Task.CompletedTask;

    private readonly string? _databasePath;

    private RuntimeHarness(ISpecStore store, string? databasePath, int workers, TimeSpan? resync, TimeSpan? reconcileTimeout, IShardOwnership? shards, FakeTimeProvider? time, Microsoft.Extensions.Logging.ILogger<Controller<PulumiPipeline>>? logger = null)
    {
        Time = time ?? new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
        _databasePath = databasePath;
        Name = $"test-{Guid.NewGuid():N}"[..16];
        Store = store;
        Source = new SpecStoreObjectSource(Store);
        Informer = new Informer<PulumiPipeline>(Source, new InformerOptions<PulumiPipeline> { PageSize = 100, ResyncPeriod = resync ?? TimeSpan.FromMinutes(10), Copy = SpecStoreObjectSource.Copy, Random = new Random(3) }, Time);
        StatusWriter = Source.StatusWriter(Informer);
        Reconciler = new SampleReconciler(StatusWriter, Time);
        Recorder = new MetricRecorder(m => m.Name == RuntimeMetrics.MeterName);
        Controller = new Controller<PulumiPipeline>(Reconciler, Informer, Source,
            new ControllerOptions { Name = Name, Workers = workers, ReconcileTimeout = reconcileTimeout ?? RuntimeDefaults.ReconcileTimeout, Queue = new WorkQueueOptions { JitterFraction = 0 } }, Time, logger, metrics: Metrics, shards: shards);
    }

    /// <summary>A harness on a fresh SQLite store; the store polls its change log on the real clock, the runtime runs on a fake one.</summary>
    public static async Task<RuntimeHarness> CreateAsync(int workers = 4, TimeSpan? resync = null, TimeSpan? reconcileTimeout = null, IShardOwnership? shards = null, FakeTimeProvider? time = null, Microsoft.Extensions.Logging.ILogger<Controller<PulumiPipeline>>? logger = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"runtime-{Guid.NewGuid():N}.db");
        var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = path, WatchPollInterval = TimeSpan.FromMilliseconds(5) });
        return new RuntimeHarness(store, path, workers, resync, reconcileTimeout, shards, time, logger);
    }

    public string Name { get; }
    public FakeTimeProvider Time { get; }
    public ISpecStore Store { get; }
    public SpecStoreObjectSource Source { get; }
    public Informer<PulumiPipeline> Informer { get; }
    public StatusWriter<PulumiPipeline, PipelineStatus> StatusWriter { get; }
    public SampleReconciler Reconciler { get; }
    public MetricRecorder Recorder { get; }

    /// <summary>The sum of a runtime instrument for this harness's controller, optionally only where the <c>result</c> tag is <paramref name="result"/>.</summary>
    public double Metric(string instrument, string? result = null) => Recorder.Sum(instrument, tags =>
        tags.TryGetValue("controller", out var controller) && (string?)controller == Name
        && (result is null || (tags.TryGetValue("result", out var r) && (string?)r == result)));
    public Controller<PulumiPipeline> Controller { get; }

    public static PulumiPipeline Document(string name, IReadOnlyDictionary<string, string>? annotations = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Annotations = annotations },
        Spec = Tests.SpecStore.TestDocuments.Pipeline(name).Spec,
    };

    public async Task StartAsync()
    {
        _informerRun = Task.Run(() => Informer.RunAsync(_informerStop.Token));
        await Informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Controller.Start();
    }

    public Task<PulumiPipeline> CreateObjectAsync(string name, IReadOnlyDictionary<string, string>? annotations = null) =>
        Store.CreateAsync(Document(name, annotations), CancellationToken.None);

    public async Task<PulumiPipeline> GetAsync(string name) =>
        await Store.GetAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"{name} is gone");

    /// <summary>Waits for the controller to be idle: nothing queued, nothing in process.</summary>
    public Task IdleAsync() => WaitUntilAsync(() => Controller.Queue.Count == 0 && Controller.Queue.Processing().Count == 0);

    /// <summary>Completes only when <paramref name="cancellationToken"/> is cancelled (throwing as a cancelled wait does): a reconcile or request that hangs until stopped, on no clock.</summary>
    public static async Task UntilCancelledAsync(CancellationToken cancellationToken)
    {
        // Resumed on the thread pool, not inside Cancel(): the token's other callbacks (a test's own registration) run first.
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
        {
            await cancelled.Task;
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within 30 s: {what}");
            }
            await Task.Delay(2);
        }
    }

    /// <param name="interval">Between checks (default 2 ms); longer when a check costs a query or a request to another process.</param>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string? what = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within 30 s: {what}");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(2));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.StopAsync(CancellationToken.None);
        await _informerStop.CancelAsync();
        await _informerRun;
        Controller.Dispose();
        Informer.Dispose();
        Recorder.Dispose();
        _informerStop.Dispose();
        if (Store is IDisposable disposable)
        {
            disposable.Dispose();
        }
        if (_databasePath is not null)
        {
            foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
