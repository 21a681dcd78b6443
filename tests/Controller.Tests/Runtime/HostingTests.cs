using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Tests.Aws;
using Reconciler.Controller.Web;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

public sealed class HostingTests : IAsyncLifetime
{
    private readonly string _leasePath = Path.Combine(Path.GetTempPath(), $"hosting-leases-{Guid.NewGuid():N}.db");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ILeaseStore _leases = null!;

    public async Task InitializeAsync() => _leases = await SqliteLeaseStore.OpenAsync(_leasePath, default);

    public Task DisposeAsync()
    {
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _leasePath, _leasePath + "-wal", _leasePath + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Health_answers_readiness_follows_sync_and_leases_and_stop_drains_then_releases()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        using var coordinator = new LeaseCoordinator(_leases, "replica-1", new LeaseOptions(), h.Time);
        await using var service = new ReconcilerHostedService<PulumiPipeline>(h.Informer, h.Controller, coordinator);
        await using var server = await WebServer.StartAsync(new WebServerOptions(Port: 0), [new HealthRoutes([service])]);

        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(server.Address, "/healthz"))).StatusCode);
        var notReady = await _http.GetAsync(new Uri(server.Address, "/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("not synced", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var release = new TaskCompletionSource();
        h.Reconciler.Behaviour = async (doc, _) =>
        {
            if (doc.Metadata.Name == "slow")
            {
                await release.Task;
            }
            return null;
        };
        await service.StartAsync(default);
        await RuntimeHarness.WaitUntilAsync(async () => (await _http.GetAsync(new Uri(server.Address, "/readyz"))).IsSuccessStatusCode, "ready");
        var ready = await _http.GetStringAsync(new Uri(server.Address, "/readyz"));
        Assert.Contains("16 of 16 shards held by replica-1", ready, StringComparison.Ordinal);

        await h.CreateObjectAsync("slow");
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("slow") == 1, "slow reconcile in flight");
        var stop = service.StopAsync(default);
        Assert.False(stop.IsCompleted);
        Assert.All(await _leases.ListAsync(default), l => Assert.Equal("replica-1", l.Holder));

        release.SetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull((await h.GetAsync("slow")).Status);
        var rows = await _leases.ListAsync(default);
        Assert.Equal(16, rows.Count);
        Assert.All(rows, l => Assert.Equal("", l.Holder));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync(new Uri(server.Address, "/readyz"))).StatusCode);
    }

    [Fact]
    public async Task Metrics_render_under_controller_runtime_names()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        using var coordinator = new LeaseCoordinator(_leases, "replica-m", new LeaseOptions(), h.Time);
        await coordinator.TickAsync(default);
        await using var server = await WebServer.StartAsync(new WebServerOptions(Port: 0), [new MetricsRoutes()]);
        var calls = 0;
        h.Reconciler.Behaviour = (doc, _) => doc.Metadata.Name switch
        {
            "bug" when Interlocked.Increment(ref calls) == 1 => throw new NullReferenceException("a bug"),
            "invalid" => throw new TerminalReconcileException("InvalidSpec", "no stages"),
            _ => Task.FromResult<ReconcileResult?>(null),
        };
        await h.StartAsync();
        foreach (var doc in new[] { "fine", "bug", "invalid" })
        {
            await h.CreateObjectAsync(doc);
        }
        await RuntimeHarness.WaitUntilAsync(() => h.Controller.Queue.DelayedCount == 1 && h.Reconciler.Reconciles("invalid") == 1, "one retry pending");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("bug") == 2, "bug retried");
        await h.IdleAsync();

        var text = await _http.GetStringAsync(new Uri(server.Address, "/metrics"));
        var controller = $"controller=\"{h.Name}\"";
        foreach (var series in new[]
        {
            "controller_runtime_reconcile_total{", "controller_runtime_reconcile_errors_total{", "controller_runtime_reconcile_time_seconds_bucket{",
            "controller_runtime_terminal_reconcile_errors_total{", "controller_runtime_reconcile_panics_total{", "controller_runtime_active_workers{",
            "workqueue_adds_total{", "workqueue_queue_duration_seconds_bucket{", "workqueue_work_duration_seconds_bucket{", "workqueue_retries_total{",
        })
        {
            Assert.True(Lines(text).Any(l => l.StartsWith(series, StringComparison.Ordinal) && l.Contains(controller, StringComparison.Ordinal)), $"no {series} for {h.Name} in\n{text}");
        }
        var name = $"name=\"{h.Name}\"";
        foreach (var gauge in new[] { "workqueue_depth{", "workqueue_unfinished_work_seconds{", "workqueue_longest_running_processor_seconds{" })
        {
            Assert.True(Lines(text).Any(l => l.StartsWith(gauge, StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal)), $"no {gauge} for {h.Name} in\n{text}");
        }
        Assert.Contains(Lines(text), l => l.StartsWith("reconciler_leases_held{", StringComparison.Ordinal) && l.Contains("holder=\"replica-m\"", StringComparison.Ordinal) && l.EndsWith(" 16", StringComparison.Ordinal));
        Assert.Contains(Lines(text), l => l.StartsWith("controller_runtime_reconcile_total{", StringComparison.Ordinal) && l.Contains(controller, StringComparison.Ordinal) && l.Contains("result=\"error\"", StringComparison.Ordinal));
        // No doubled suffixes from the exporter's unit and counter rules.
        Assert.DoesNotContain("_total_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_seconds_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replica_identity_is_the_ecs_task_arn_when_the_metadata_endpoint_is_there()
    {
        const string arn = "arn:aws:ecs:us-east-1:111122223333:task/reconciler/0123456789abcdef";
        await using var metadata = await AwsStubServer.StartAsync(new Dictionary<string, string> { ["/task"] = $$"""{"Cluster":"reconciler","TaskARN":"{{arn}}"}""" });
        var identity = await ReplicaIdentity.ResolveAsync(_http, v => v == ReplicaIdentity.MetadataVariable ? metadata.Url.ToString().TrimEnd('/') : null);
        Assert.Equal(arn, identity);

        var fallback = await ReplicaIdentity.ResolveAsync(_http, _ => null);
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", fallback);
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n');
}
