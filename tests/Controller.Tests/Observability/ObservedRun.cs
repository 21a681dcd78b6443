using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.Controller.Web;
using Reconciler.LocalCloud.Faults;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>
/// A demo-like run with everything a dashboard watches: SQLite store, LocalCloud (optionally throttling), shard leases,
/// the health/metrics server and the status page on free loopback ports, the bundled samples converged, and one spec
/// under <c>driftPolicy: Detect</c> changed behind the controller's back so it stays visibly drifted.
/// </summary>
internal sealed class ObservedRun : IAsyncDisposable
{
    public const string DriftedSpec = "website-watch";
    public const string TraceTemplate = "http://tempo.example/trace/{traceId}";
    public const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private readonly string _directory;

    private ObservedRun(string directory, EmbeddedCloud cloud, ISpecStore store, ReconcilerHost host, PipelineController controller, StatusPage page)
    {
        _directory = directory;
        Cloud = cloud;
        Store = store;
        Host = host;
        Controller = controller;
        Page = page;
    }

    public EmbeddedCloud Cloud { get; }

    public ISpecStore Store { get; }

    public ReconcilerHost Host { get; }

    public PipelineController Controller { get; }

    public StatusPage Page { get; }

    /// <summary>The sample names and the drift-watching copy.</summary>
    public IReadOnlyList<string> Names { get; private set; } = [];

    public static async Task<ObservedRun> StartAsync(FaultSettings? faults = null)
    {
        var directory = Directory.CreateTempSubdirectory("reconciler-observed-").FullName;
        // The production breaker (the embedded default switches it off), so its state is reported as it would be.
        var cloud = await EmbeddedCloud.StartAsync([ControllerHarness.TokenParameter], faults, options => options with { CircuitBreaker = new AwsCircuitBreakerSettings() });
        var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(directory, "specs.db"), WatchPollInterval = TimeSpan.FromMilliseconds(20) });
        var leases = new LeaseCoordinator(await SqliteLeaseStore.OpenAsync(Path.Combine(directory, "specs.db"), CancellationToken.None), "observed-replica",
            new LeaseOptions { Shards = 4 }, TimeProvider.System, NullLogger<LeaseCoordinator>.Instance);
        var host = new ReconcilerHost(store, cloud.Clients.Services, new ReconcilerHostOptions
        {
            ResyncPeriod = TimeSpan.FromMinutes(30),
            Web = new WebServerOptions(0, "127.0.0.1", TelemetryProviders.MeterNames),
        }, TimeProvider.System, NullLoggerFactory.Instance, leases);
        var controller = new PipelineController(host, new PipelineControllerOptions
        {
            Workers = 4,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        });
        host.Add(controller);
        var page = new StatusPage(host, controller, new StatusPageOptions(0, "127.0.0.1", TraceTemplate), cloud.Clients.Telemetry);
        host.Add(page);
        await host.StartAsync(CancellationToken.None);
        await host.WaitForCacheSyncAsync(CancellationToken.None);
        var run = new ObservedRun(directory, cloud, store, host, controller, page);
        await run.ConvergeAsync();
        return run;
    }

    private async Task ConvergeAsync()
    {
        var website = ControllerHarness.Sample("website.json");
        var payments = ControllerHarness.Sample("payments-pipeline.json");
        var watch = ControllerHarness.Named(website, DriftedSpec) with
        {
            Spec = website.Spec with { DriftPolicy = DriftPolicies.Detect },
            Metadata = website.Metadata with
            {
                Name = DriftedSpec,
                Labels = new Dictionary<string, string> { ["team"] = "ops" },
                Annotations = new Dictionary<string, string> { [RuntimeAnnotations.TraceParent] = TraceParent },
            },
        };
        Names = [website.Metadata.Name, payments.Metadata.Name, DriftedSpec];
        foreach (var document in new[] { website, payments, watch })
        {
            await Store.CreateAsync(document, CancellationToken.None);
        }
        foreach (var name in Names)
        {
            await WaitForAsync(name, ControllerHarness.IsReady, "Ready");
        }
        var project = (await WaitForAsync(DriftedSpec, ControllerHarness.IsReady, "Ready")).Status!.Resources.First(r => r.Kind == "CodeBuildProject").Name;
        Cloud.Server.State.ChangeProject(project, p => p["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        // And one under driftPolicy Correct, which the same resync puts back.
        Cloud.Server.State.ChangeProject("website-staging", p => p["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        Controller.ResyncNow();
        await WaitForAsync(DriftedSpec, d => d.Status?.Conditions is { } c && Conditions.IsTrue(c, ConditionTypes.Drifted), "Drifted");
        await WaitForAsync("website", d => d.Status?.Conditions is { } c && Conditions.Find(c, ConditionTypes.Drifted)?.Reason == StatusReasons.DriftCorrected, "drift corrected");
        // The cache (what the page reads) has seen the status write once the informer delivered it.
        await RuntimeHarness.WaitUntilAsync(
            () => Task.FromResult(Page.Api.Get(DriftedSpec)?.Summary.Drifted == true),
            "the drifted status in the cache", TimeSpan.FromMilliseconds(20));
    }

    private async Task<PulumiPipeline> WaitForAsync(string name, Func<PulumiPipeline, bool> condition, string what)
    {
        PulumiPipeline? last = null;
        await RuntimeHarness.WaitUntilAsync(async () =>
        {
            last = await Store.GetAsync(name, CancellationToken.None);
            return last is not null && condition(last);
        }, $"{name} {what}", TimeSpan.FromMilliseconds(20));
        return last!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await ((IAsyncDisposable)Store).DisposeAsync();
        await Cloud.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
