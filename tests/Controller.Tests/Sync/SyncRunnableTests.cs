using System.Net;
using System.Text;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>The sync loop as <c>run</c> hosts it: a runnable of the composition root beside the controller, its webhook on the one web server.</summary>
public sealed class SyncRunnableTests
{
    [Fact]
    public async Task A_commit_converges_in_aws_and_a_signed_webhook_syncs_the_next_one_at_once()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await harness.StopAsync();
        using var repo = new ConfigRepository();
        repo.Write("specs/site.json", SyncDocuments.Json("site"));
        var first = repo.Commit("first");
        var cache = Path.Combine(Path.GetTempPath(), "reconciler-runnable-cache-" + Guid.NewGuid().ToString("N"));
        await using var host = new ReconcilerHost(harness.Store, harness.Cloud.Clients.Services,
            new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(30), Web = new WebServerOptions(Port: 0) });
        host.Add(new PipelineController(host, harness.Options));
        // An interval no test waits for: after the first sync, only the webhook can bring the second commit in.
        var sync = await SyncRunnable.CreateAsync(host, StoreLocation.Parse(harness.StoreArgument), new SyncOptions(new GitSource(repo.Folder, repo.Branch, "specs")),
            cache, TimeSpan.FromHours(1), "hook-secret", CancellationToken.None);
        host.Add(sync);
        try
        {
            await host.StartAsync(CancellationToken.None);

            var site = await harness.WaitForReadyAsync("site");
            Assert.Equal(first, site.Status!.SourceRevision);
            Assert.NotNull(harness.Cloud.Server.State.GetProject("site-staging"));

            repo.Write("specs/shop.yaml", SyncDocuments.Yaml("shop"));
            var second = repo.Commit("second");
            using var http = new HttpClient { BaseAddress = host.Web!.Address };
            var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");
            using var refused = await SyncLoopTests.PostAsync(http, body, ("X-Hub-Signature-256", new GitHookSignature("wrong").Sign(body)));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            using var accepted = await SyncLoopTests.PostAsync(http, body, ("X-Hub-Signature-256", new GitHookSignature("hook-secret").Sign(body)));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

            var shop = await harness.WaitForReadyAsync("shop");
            Assert.Equal(second, shop.Status!.SourceRevision);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            ConfigRepository.DeleteFolder(cache);
        }
    }

    [Fact]
    public async Task Without_a_secret_there_is_no_webhook_route()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await harness.StopAsync();
        using var repo = new ConfigRepository();
        repo.Write("specs/site.json", SyncDocuments.Json("site"));
        repo.Commit("first");
        await using var host = new ReconcilerHost(harness.Store, harness.Cloud.Clients.Services,
            new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(30), Web = new WebServerOptions(Port: 0) });
        var cache = Path.Combine(Path.GetTempPath(), "reconciler-runnable-cache-" + Guid.NewGuid().ToString("N"));
        var sync = await SyncRunnable.CreateAsync(host, StoreLocation.Parse(harness.StoreArgument), new SyncOptions(new GitSource(repo.Folder, repo.Branch, "specs")),
            cache, TimeSpan.FromHours(1), webhookSecret: null, CancellationToken.None);
        host.Add(sync);
        try
        {
            await host.StartAsync(CancellationToken.None);
            using var http = new HttpClient { BaseAddress = host.Web!.Address };

            using var response = await SyncLoopTests.PostAsync(http, "{}"u8.ToArray(), ("X-Gitlab-Token", "anything"));

            Assert.False(sync.HasWebhook);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            ConfigRepository.DeleteFolder(cache);
        }
    }
}
