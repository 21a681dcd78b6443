using System.CommandLine;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Controller.Tests.Cli;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.LocalCloud;

namespace Reconciler.Controller.Tests.Sync;

public sealed class SyncCommandTests
{
    [Fact]
    public async Task Dry_run_exits_1_with_changes_0_without_and_2_on_an_invalid_revision_and_status_shows_the_record()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        h.Repo.Write("specs/b.yaml", SyncDocuments.Yaml("b"));
        var first = h.Repo.Commit("first");
        string[] Sync(params string[] more) =>
            ["sync", "--repo", h.Repo.Folder, "--ref", h.Repo.Branch, "--path", "specs", "--store", $"sqlite:{h.DatabasePath}", "--cache-dir", Path.Combine(h.Folder, "cli-cache"), .. more];

        var preview = await InvokeAsync(Sync("--dry-run"));
        Assert.True(preview.ExitCode == 1, preview.ToString());
        Assert.Contains("+ pulumipipeline/a created (dry run)  (a.json)", preview.Output, StringComparison.Ordinal);
        Assert.Contains("2 to create, 0 to update, 0 to prune, 0 unchanged", preview.Output, StringComparison.Ordinal);
        Assert.Empty(await h.StoredAsync());

        var applied = await InvokeAsync(Sync());
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal(["a", "b"], (await h.StoredAsync()).Select(d => d.Metadata.Name));

        var clean = await InvokeAsync(Sync("--dry-run"));
        Assert.True(clean.ExitCode == 0, clean.ToString());

        h.Repo.Write("specs/a.json", SyncDocuments.Json("a", timeoutMinutes: 90));
        h.Repo.Commit("update");
        var markdown = await InvokeAsync(Sync("--dry-run", "-o", "markdown"));
        Assert.True(markdown.ExitCode == 1, markdown.ToString());
        Assert.Contains("### reconciler sync preview", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("| `a` | configured | a.json | 1 |", markdown.Output, StringComparison.Ordinal);
        Assert.Contains("+ $.spec.build.timeoutMinutes: 90", markdown.Output, StringComparison.Ordinal);

        h.Repo.Write("specs/c.yaml", SyncDocuments.Yaml("c").Replace("operation: up", "operation: deploy"));
        h.Repo.Commit("invalid");
        var invalid = await InvokeAsync(Sync("--dry-run"));
        Assert.True(invalid.ExitCode == 2, invalid.ToString());
        Assert.Matches(@"invalid: c\.yaml:\d+: \$\.spec\.stages\[0\]\.operation: ", invalid.Error);
        var refusedApply = await InvokeAsync(Sync());
        Assert.True(refusedApply.ExitCode == 1, refusedApply.ToString());
        Assert.Equal(60, (await h.StoredAsync())[0].Spec.Build.TimeoutMinutes);

        var status = await InvokeAsync(["sync", "status", "--store", $"sqlite:{h.DatabasePath}"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"Last applied:    {first}", status.Output, StringComparison.Ordinal);
        Assert.Contains("Stalled  True   Invalid", status.Output, StringComparison.Ordinal);
        Assert.Contains("Inventory:       2 document(s)", status.Output, StringComparison.Ordinal);

        var usage = await InvokeAsync(["sync", "--store", $"sqlite:{h.DatabasePath}"]);
        Assert.True(usage.ExitCode == 2, usage.ToString());
        Assert.Contains("--repo (or RECONCILER_SYNC_REPO) is required", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_preview_shows_the_aws_resources_a_merge_would_create_and_change()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        using var repo = new ConfigRepository();
        repo.Write("specs/site.json", SyncDocuments.Json("site"));
        repo.Commit("first");
        var cache = Path.Combine(Path.GetTempPath(), "reconciler-live-cache-" + Guid.NewGuid().ToString("N"));
        string[] Sync(params string[] more) =>
            ["sync", "--repo", repo.Folder, "--ref", repo.Branch, "--path", "specs", "--store", harness.StoreArgument, "--cache-dir", cache,
             "--aws-endpoint-url", harness.Cloud.Server.Endpoint.ToString(), "--aws-region", "us-east-1", .. more];
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
        };
        try
        {
            var applied = await ReconcilerProcess.RunAsync(Sync(), environment);
            Assert.True(applied.ExitCode == 0, applied.ToString());
            await harness.WaitForReadyAsync("site");
            await harness.StopAsync();
            repo.Write("specs/site.json", SyncDocuments.Json("site", timeoutMinutes: 90));
            repo.Write("specs/shop.json", SyncDocuments.Json("shop"));
            repo.Commit("change site, add shop");

            var live = await ReconcilerProcess.RunAsync(Sync("--dry-run", "--live"), environment);

            Assert.True(live.ExitCode == 1, live.ToString());
            var output = live.Output.ReplaceLineEndings("\n");
            Assert.Contains("~ pulumipipeline/site configured (dry run)", output, StringComparison.Ordinal);
            Assert.Contains("    $.spec.build.timeoutMinutes: 60 → 90\n", output, StringComparison.Ordinal);
            Assert.Contains("    ► CodeBuildProject/site-staging drifted\n      timeoutInMinutes: 60 → 90\n", output, StringComparison.Ordinal);
            Assert.Contains("+ pulumipipeline/shop created (dry run)", output, StringComparison.Ordinal);
            Assert.Contains("    ► CodeBuildProject/shop-staging missing", output, StringComparison.Ordinal);
            // Nothing was written: the stored site still has its old timeout.
            Assert.Equal(60, (await harness.Store.GetAsync("site", CancellationToken.None))!.Spec.Build.TimeoutMinutes);
            Assert.Null(await harness.Store.GetAsync("shop", CancellationToken.None));
        }
        finally
        {
            ConfigRepository.DeleteFolder(cache);
        }
    }

    private static async Task<ProcessResult> InvokeAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return new ProcessResult(exit, output.ToString(), error.ToString());
    }
}
