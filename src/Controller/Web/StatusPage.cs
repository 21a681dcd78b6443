using Reconciler.Controller.Aws;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Web;

/// <summary>
/// The status page as a runnable: its own web server (not the health port's), the API over the host's cache, the
/// conditions history it keeps from the cache's events, and the <c>reconciler_specs</c> gauges.
/// </summary>
public sealed class StatusPage : IRunnable, IAsyncDisposable
{
    private readonly WebServer _server;
    private readonly StatusMetrics _metrics;

    /// <param name="controller">The pipeline controller whose queue and workers the page reports.</param>
    /// <param name="aws">The AWS clients' telemetry (throttles, breakers); null where none is shared.</param>
    public StatusPage(ReconcilerHost host, PipelineController controller, StatusPageOptions options, AwsTelemetry? aws = null)
    {
        History = new ConditionHistory(host.Time);
        host.Cache.AddHandler(History);
        Api = new StatusApi(host.Cache, History, () => State(host, controller, aws), options.TraceUrlTemplate);
        _metrics = new StatusMetrics(Api.Counts);
        _server = WebServer.Create(new WebServerOptions(options.Port, options.BindAddress, []), host.Loggers);
        _server.Add(new StatusRoutes(Api));
    }

    public string Name => "status-page";

    public ConditionHistory History { get; }

    public StatusApi Api { get; }

    /// <summary>Where the page is served, with the port actually bound (once started).</summary>
    public Uri Address => _server.Address;

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _metrics.Dispose();
    }

    private static ControllerState State(ReconcilerHost host, PipelineController controller, AwsTelemetry? aws)
    {
        var queue = controller.Controller.Queue;
        return new ControllerState(
            controller.Engine.Name,
            host.Cache.HasSynced,
            host.Cache.Keys().Count,
            controller.Options.Workers,
            queue.Processing().Count,
            queue.Count,
            queue.DelayedCount,
            host.Leases?.HeldShards,
            host.Leases?.ShardCount,
            host.Leases?.Identity,
            aws?.Throttles() ?? new Dictionary<string, long>(),
            aws?.BreakerStates() ?? new Dictionary<string, string>(),
            host.Time.GetUtcNow());
    }
}
