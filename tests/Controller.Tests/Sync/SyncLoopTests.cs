using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Sync;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Tests.Sync;

public sealed class SyncLoopTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_interval_loop_picks_up_a_new_commit()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        var first = h.Repo.Commit("first");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var loop = new SyncLoop(h.Syncer(), Interval, time, NullLogger.Instance);
        var results = new ConcurrentQueue<SyncResult>();
        loop.Synced += results.Enqueue;
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);

        await RuntimeHarness.WaitUntilAsync(() => results.Any(r => r.Revision == first), "first sync");
        h.Repo.Write("specs/b.json", SyncDocuments.Json("b"));
        var second = h.Repo.Commit("second");
        Assert.DoesNotContain(results, r => r.Revision == second);
        await RuntimeHarness.WaitUntilAsync(() =>
        {
            // The loop waits on the fake clock: each step moves it one interval on.
            time.Advance(Interval);
            return results.Any(r => r.Revision == second);
        }, "a sync of the second commit");

        Assert.Equal(["a", "b"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task The_webhook_refuses_a_bad_signature_and_a_good_one_triggers_a_sync_at_once()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        var first = h.Repo.Commit("first");
        // The clock never moves: only the webhook can cause a second sync.
        var loop = new SyncLoop(h.Syncer(), TimeSpan.FromHours(1), new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger.Instance);
        var results = new ConcurrentQueue<SyncResult>();
        loop.Synced += results.Enqueue;
        var signature = new GitHookSignature("hook-secret");
        await using var server = await WebServer.StartAsync(new WebServerOptions(Port: 0), [new GitHookRoutes(signature, loop.Trigger, NullLogger.Instance)]);
        using var http = new HttpClient { BaseAddress = server.Address };
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        await RuntimeHarness.WaitUntilAsync(() => results.Any(r => r.Revision == first), "first sync");
        h.Repo.Write("specs/b.json", SyncDocuments.Json("b"));
        var second = h.Repo.Commit("second");
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");

        using var unsigned = await PostAsync(http, body, null);
        using var forged = await PostAsync(http, body, ("X-Hub-Signature-256", new GitHookSignature("other-secret").Sign(body)));
        using var tampered = await PostAsync(http, Encoding.UTF8.GetBytes("""{"ref":"refs/heads/evil"}"""), ("X-Hub-Signature-256", signature.Sign(body)));
        using var wrongToken = await PostAsync(http, body, ("X-Gitlab-Token", "hook-secre"));

        Assert.All(new[] { unsigned, forged, tampered, wrongToken }, r => Assert.Equal(System.Net.HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Single(results);

        using var good = await PostAsync(http, body, ("X-Hub-Signature-256", signature.Sign(body)));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, good.StatusCode);
        await RuntimeHarness.WaitUntilAsync(() => results.Any(r => r.Revision == second), "a sync triggered by the webhook");
        h.Repo.Write("specs/c.json", SyncDocuments.Json("c"));
        var third = h.Repo.Commit("third");
        using var gitLab = await PostAsync(http, body, ("X-Gitlab-Token", "hook-secret"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, gitLab.StatusCode);
        await RuntimeHarness.WaitUntilAsync(() => results.Any(r => r.Revision == third), "a sync triggered by the GitLab token");

        h.Repo.Write("specs/d.json", SyncDocuments.Json("d"));
        var fourth = h.Repo.Commit("fourth");
        var sent = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (string, string)[] SignedBy(string secret, string id) => [(GitHookSignature.IdHeader, id), (GitHookSignature.TimestampHeader, sent.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (GitHookSignature.SignatureHeader, new GitHookSignature(secret).SignDelivery(body, id, sent))];
        using var forgedSigned = await PostWithHeadersAsync(http, body, SignedBy("other-secret", "msg_1"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, forgedSigned.StatusCode);
        using var gitLabSigned = await PostWithHeadersAsync(http, body, SignedBy("hook-secret", "msg_2"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, gitLabSigned.StatusCode);
        await RuntimeHarness.WaitUntilAsync(() => results.Any(r => r.Revision == fourth), "a sync triggered by a GitLab signed delivery");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Of_two_replicas_only_the_lease_holder_syncs_and_the_other_takes_over_when_it_stops()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        var first = h.Repo.Commit("first");
        // Real time here: the leases' expiry and operation timeouts run on the clock, and a fake one moved by the test
        // could time a store call out under load. The lease outlives any stall of this machine by far.
        var leaseOptions = new LeaseOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(30),
            RenewInterval = TimeSpan.FromMilliseconds(500),
            RetryInterval = TimeSpan.FromMilliseconds(50),
            OperationTimeout = TimeSpan.FromSeconds(10),
        };
        var leases = await SqliteLeaseStore.OpenAsync(h.DatabasePath, CancellationToken.None);
        var results = new ConcurrentQueue<(string Replica, SyncResult Result)>();
        var replicas = new[] { "replica-1", "replica-2" }.Select(identity =>
        {
            var lease = new NamedLease(leases, SyncRunnable.LeaseName, identity, leaseOptions);
            var loop = new SyncLoop(h.Syncer(), TimeSpan.FromMilliseconds(20), TimeProvider.System, NullLogger.Instance, lease);
            loop.Synced += result => results.Enqueue((identity, result));
            var stop = new CancellationTokenSource();
            return (Identity: identity, Lease: lease, Stop: stop, Running: loop.RunAsync(stop.Token));
        }).ToList();

        await RuntimeHarness.WaitUntilAsync(() => results.Count >= 5, "five syncs");

        var holder = results.First().Replica;
        Assert.All(results, r => Assert.Equal(holder, r.Replica));
        Assert.Equal(first, results.First().Result.Revision);
        var row = (await leases.ListAsync(CancellationToken.None)).Single(l => l.Name == NamedLease.Prefix + SyncRunnable.LeaseName);
        Assert.Equal(holder, row.Holder);

        var leaving = replicas.Single(r => r.Identity == holder);
        await leaving.Stop.CancelAsync();
        await leaving.Running;
        h.Repo.Write("specs/b.json", SyncDocuments.Json("b"));
        var second = h.Repo.Commit("second");
        await RuntimeHarness.WaitUntilAsync(() => results.Any(r => r.Result.Revision == second), "the other replica syncing after the holder stopped");

        var other = replicas.Single(r => r.Identity != holder);
        Assert.All(results.Where(r => r.Result.Revision == second), r => Assert.Equal(other.Identity, r.Replica));
        Assert.Equal(["a", "b"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
        await other.Stop.CancelAsync();
        await other.Running;
        foreach (var replica in replicas)
        {
            replica.Lease.Dispose();
            replica.Stop.Dispose();
        }
    }

    internal static Task<HttpResponseMessage> PostAsync(HttpClient http, byte[] body, (string Name, string Value)? header) =>
        PostWithHeadersAsync(http, body, header is { } h ? [h] : []);

    internal static async Task<HttpResponseMessage> PostWithHeadersAsync(HttpClient http, byte[] body, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GitHookRoutes.Path) { Content = new ByteArrayContent(body) };
        foreach (var h in headers)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }
        return await http.SendAsync(request);
    }
}
