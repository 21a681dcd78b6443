using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.LocalCloud.Faults;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>
/// The whole loop on real parts: a spec store (SQLite on a temporary file, or DynamoDB through dynalite), LocalCloud
/// over HTTP with the controller's AWS clients, and the pipeline controller with its informer and workers.
/// </summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    public const string TokenParameter = "/pulumi/access-token";

    private readonly string? _directory;
    private DynaliteServer? _dynalite;
    private DynamoDbStoreOptions? _table;
    private Amazon.DynamoDBv2.AmazonDynamoDBClient? _leaseClient;

    private ControllerHarness(EmbeddedCloud cloud, ISpecStore store, string? directory, PipelineControllerOptions options, ReconcilerHostOptions hostOptions)
    {
        Cloud = cloud;
        Store = store;
        _directory = directory;
        Options = options;
        HostOptions = hostOptions;
        (Host, Controller) = NewHost();
    }

    public EmbeddedCloud Cloud { get; }

    /// <summary>The <c>--store</c> argument that opens this harness's SQLite store from another process.</summary>
    public string StoreArgument => $"sqlite:{Path.Combine(_directory ?? throw new InvalidOperationException("not a SQLite harness"), "specs.db")}";

    public ISpecStore Store { get; }

    public PipelineControllerOptions Options { get; }

    /// <summary>The composition root's options: a resync period long enough that only tests ask for one.</summary>
    public ReconcilerHostOptions HostOptions { get; }

    /// <summary>The composition root the running controller belongs to.</summary>
    public ReconcilerHost Host { get; private set; }

    public PipelineController Controller { get; private set; }

    /// <param name="cloudTime">LocalCloud's clock, when the test drives its injected latencies; the controller keeps the real one.</param>
    public static async Task<ControllerHarness> StartAsync(StoreKind kind, DynaliteServer? dynalite = null, FaultSettings? faults = null, PipelineControllerOptions? options = null,
        TimeProvider? cloudTime = null)
    {
        var cloud = await EmbeddedCloud.StartAsync([TokenParameter], faults, time: cloudTime);
        string? directory = null;
        ISpecStore store;
        DynamoDbStoreOptions? table = null;
        if (kind == StoreKind.Sqlite)
        {
            directory = Directory.CreateTempSubdirectory("reconciler-e2e-").FullName;
            store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions
            {
                Path = Path.Combine(directory, "specs.db"),
                WatchPollInterval = TimeSpan.FromMilliseconds(20),
            });
        }
        else
        {
            table = await dynalite!.NewTableAsync("pipelines-e2e");
            store = new DynamoDbSpecStore(dynalite.CreateClient(), table, streams: null, TimeProvider.System, ownsClient: true);
        }
        var harness = new ControllerHarness(cloud, store, directory, options ?? new PipelineControllerOptions
        {
            Workers = 4,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        }, new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(30) })
        {
            _dynalite = dynalite,
            _table = table,
        };
        await harness.StartHostAsync();
        return harness;
    }

    /// <summary>The lease table beside this harness's store, as <c>run --shards</c> opens it: SQLite's file, or the DynamoDB table's <c>-leases</c> table.</summary>
    public async Task<ILeaseStore> OpenLeaseTableAsync()
    {
        if (_table is null)
        {
            return await SqliteLeaseStore.OpenAsync(Path.Combine(_directory!, "specs.db"), CancellationToken.None);
        }
        _leaseClient ??= _dynalite!.CreateClient();
        return new DynamoDbLeaseStore(_leaseClient, _table.LeaseTableName);
    }

    /// <summary>Stops the controller (cancelling in-flight work) and starts a new one on the same store and cloud.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        (Host, Controller) = NewHost();
        await StartHostAsync();
    }

    /// <summary>Stops the controller and its cache: nothing reconciles from here on.</summary>
    public Task StopAsync() => Host.StopAsync(CancellationToken.None);

    /// <summary>A sample document from samples/specs, optionally changed.</summary>
    public static PulumiPipeline Sample(string file, Func<PulumiPipeline, PulumiPipeline>? change = null)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "specs", file);
        var result = SpecValidator.Validate(path, File.ReadAllText(path));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return change is null ? result.Document! : change(result.Document!);
    }

    public static PulumiPipeline Named(PulumiPipeline document, string name) =>
        document with { Metadata = document.Metadata with { Name = name } };

    public Task<PulumiPipeline> CreateAsync(PulumiPipeline document) => Store.CreateAsync(document, CancellationToken.None);

    /// <summary>Changes the stored document's spec (or metadata) and writes it back.</summary>
    public async Task<PulumiPipeline> UpdateAsync(string name, Func<PulumiPipeline, PulumiPipeline> change)
    {
        var current = await Store.GetAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"{name} does not exist");
        return await Store.UpdateAsync(change(current), CancellationToken.None);
    }

    /// <summary>Waits until the stored document satisfies <paramref name="condition"/>; fails with its last status otherwise.</summary>
    public async Task<PulumiPipeline> WaitForAsync(string name, Func<PulumiPipeline, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        PulumiPipeline? last = null;
        while (!timeout.IsCancellationRequested)
        {
            last = await Store.GetAsync(name, CancellationToken.None);
            if (last is not null && condition(last))
            {
                return last;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }
        Assert.Fail($"{name} never became {what}; last status: phase {last?.Status?.Phase}, "
            + string.Join("; ", last?.Status?.Conditions.Select(c => $"{c.Type}={c.Status} {c.Reason}: {c.Message}") ?? []));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Waits until the document is gone from the store (its finalizer released it).</summary>
    public async Task WaitForGoneAsync(string name)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!timeout.IsCancellationRequested)
        {
            if (await Store.GetAsync(name, CancellationToken.None) is null)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }
        Assert.Fail($"{name} was never removed from the store");
    }

    /// <summary>Ready for the document's current generation.</summary>
    public Task<PulumiPipeline> WaitForReadyAsync(string name, long? generation = null) =>
        WaitForAsync(name, d => IsReady(d) && d.Status!.ObservedGeneration == (generation ?? d.Metadata.Generation), "Ready");

    public static bool IsReady(PulumiPipeline document) =>
        document.Status is { } status && Conditions.IsTrue(status.Conditions, ConditionTypes.Ready);

    public static Condition Condition(PulumiPipeline document, string type) =>
        Conditions.Find(document.Status!.Conditions, type) ?? throw new InvalidOperationException($"no {type} condition");

    /// <summary>Every document's resourceVersion: any write, status included, changes one.</summary>
    public async Task<IReadOnlyList<string>> ResourceVersionsAsync()
    {
        var page = await Store.ListAsync(new ListOptions(), CancellationToken.None);
        return page.Items.Select(d => $"{d.Metadata.Name}@{d.Metadata.ResourceVersion}").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Waits until the controller's queue is empty (delayed retries included) and no worker holds a key.</summary>
    public async Task WaitForIdleAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!timeout.IsCancellationRequested)
        {
            if (Controller.Controller.Queue.Count == 0 && Controller.Controller.Queue.DelayedCount == 0 && Controller.Controller.Queue.Processing().Count == 0)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
        Assert.Fail("the controller never became idle");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        switch (Store)
        {
            case IAsyncDisposable disposable:
                await disposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
        await Cloud.DisposeAsync();
        _leaseClient?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A controller on this harness's store and cloud, in a host never started: tests call its reconciler by hand.</summary>
    public PipelineController NewController() => NewHost().Controller;

    private (ReconcilerHost Host, PipelineController Controller) NewHost()
    {
        var host = new ReconcilerHost(Store, Cloud.Clients.Services, HostOptions, TimeProvider.System, NullLoggerFactory.Instance);
        var controller = new PipelineController(host, Options);
        host.Add(controller);
        return (host, controller);
    }

    private async Task StartHostAsync()
    {
        await Host.StartAsync(CancellationToken.None);
        await Host.WaitForCacheSyncAsync(CancellationToken.None);
    }
}
