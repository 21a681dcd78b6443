using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Controller.Web;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Hosting;

/// <summary>The composition root on real parts: a SQLite store, LocalCloud, the one web server on a free loopback port.</summary>
public sealed class ReconcilerHostTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ControllerHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await _harness.StopAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Runnables_start_in_order_after_the_cache_stop_in_reverse_and_serve_their_routes_beside_health_and_metrics()
    {
        var events = new ConcurrentQueue<string>();
        await using var host = new ReconcilerHost(_harness.Store, _harness.Cloud.Clients.Services,
            new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(30), Web = new WebServerOptions(Port: 0) });
        host.Add(new Recording("first", events));
        host.Add(new Recording("second", events));
        var controller = new PipelineController(host, _harness.Options);
        host.Add(controller);

        await host.StartAsync(CancellationToken.None);
        await host.WaitForCacheSyncAsync(CancellationToken.None);
        await _harness.CreateAsync(Named(Sample("website.json"), "hosted"));
        await _harness.WaitForReadyAsync("hosted");

        var address = host.Web!.Address;
        Assert.Equal("first\n", await _http.GetStringAsync(new Uri(address, "/first")));
        Assert.Equal("second\n", await _http.GetStringAsync(new Uri(address, "/second")));
        Assert.Equal("ok\n", await _http.GetStringAsync(new Uri(address, "/healthz")));
        var ready = await _http.GetAsync(new Uri(address, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readiness = await ready.Content.ReadAsStringAsync();
        Assert.Contains("ok: PulumiPipeline informer synced", readiness, StringComparison.Ordinal);
        Assert.Contains("ok: second is ready", readiness, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_total", await _http.GetStringAsync(new Uri(address, "/metrics")), StringComparison.Ordinal);

        await host.StopAsync(CancellationToken.None);
        Assert.Equal(["start first", "start second", "stop second", "stop first"], events);
        Assert.Throws<InvalidOperationException>(() => host.Web.Add(new Recording("late", events)));
    }

    [Fact]
    public async Task A_runnable_added_after_start_is_refused()
    {
        await using var host = new ReconcilerHost(_harness.Store, _harness.Cloud.Clients.Services);
        await host.StartAsync(CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => host.Add(new Recording("late", new ConcurrentQueue<string>())));
    }

    [Fact]
    public async Task An_engine_the_registry_does_not_know_fails_the_controller_before_anything_starts()
    {
        await using var host = new ReconcilerHost(_harness.Store, _harness.Cloud.Clients.Services);

        var error = Assert.Throws<FormatException>(() => new PipelineController(host, _harness.Options with { Engine = "pulumi-yaml" }));

        Assert.Contains("engine 'pulumi-yaml' is not available", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A runnable that records its start and stop, serves one route, and (the second) reports readiness.</summary>
    private sealed class Recording(string name, ConcurrentQueue<string> events) : IRunnable, IWebRoutes, IReadinessCheck
    {
        public string Name => name;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            events.Enqueue($"start {name}");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            events.Enqueue($"stop {name}");
            return Task.CompletedTask;
        }

        public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGet($"/{name}", () => Results.Text($"{name}\n"));

        public (bool Ready, string Detail) CheckReadiness() => (true, $"{name} is ready");
    }
}
