using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Cli;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Controller.Web;
using Reconciler.LocalCloud;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Sync;

/// <summary><c>reconciler run --sync-repo ...</c> as a real process: the loop under the syncer lease, the webhook on the health port, SIGTERM.</summary>
public sealed class SyncRunProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-sync-run-").FullName;

    public void Dispose() => ConfigRepository.DeleteFolder(_directory);

    [Fact]
    public async Task Run_syncs_the_repository_under_the_lease_converges_it_and_a_signed_webhook_brings_the_next_commit()
    {
        await using var cloud = await EmbeddedCloud.StartAsync([ControllerHarness.TokenParameter]);
        using var repo = new ConfigRepository();
        repo.Write("deploy/site.yaml", SyncDocuments.Yaml("site"));
        var first = repo.Commit("first");
        var database = Path.Combine(_directory, "reconciler.db");
        var environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = LocalCloudInfo.DefaultRegion,
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
            [SyncSourceOptions.RepoVariable] = repo.FileUrl,
            [SyncSourceOptions.PathVariable] = "deploy",
            [SyncSourceOptions.WebhookSecretVariable] = "run-secret",
        };
        await using var run = RunningReconciler.Start(
            ["run", "--store", $"sqlite:{database}", "--aws-endpoint-url", cloud.Server.Endpoint.ToString(), "--health-port", "0", "--status-port", "0",
             "--sync-ref", repo.Branch, "--sync-interval", "1h", "--sync-cache-dir", Path.Combine(_directory, "cache")],
            environment);
        var started = await run.WaitForOutputAsync(new Regex(@"health on (?<address>http://127\.0\.0\.1:\d+/?), .*syncing .*//deploy @ \S+ \(webhook on\)"), Patience);

        using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = database });
        await Runtime.RuntimeHarness.WaitUntilAsync(async () =>
            await store.GetAsync("site", CancellationToken.None) is { } site && ControllerHarness.IsReady(site) && site.Status!.SourceRevision == first,
            "site synced and Ready", TimeSpan.FromMilliseconds(100));
        Assert.NotNull(cloud.Server.State.GetProject("site-staging"));

        repo.Write("deploy/shop.json", SyncDocuments.Json("shop"));
        var second = repo.Commit("second");
        using var http = new HttpClient { BaseAddress = new Uri(started.Groups["address"].Value) };
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");
        using var response = await SyncLoopTests.PostAsync(http, body, ("X-Hub-Signature-256", new GitHookSignature("run-secret").Sign(body)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Runtime.RuntimeHarness.WaitUntilAsync(async () =>
            await store.GetAsync("shop", CancellationToken.None) is { } shop && shop.Status?.SourceRevision == second,
            "shop synced after the webhook", TimeSpan.FromMilliseconds(100));

        await run.TerminateAsync();
        var exit = await run.WaitForExitAsync(Patience);
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}\n{run}");
        Assert.DoesNotContain("run-secret", run.Output + run.Error, StringComparison.Ordinal);
    }
}
