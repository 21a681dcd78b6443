using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Controller.Tests.Dynalite;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>The sync on DynamoDB (dynalite): documents in the spec table, the status in <c>&lt;table&gt;-sync</c> made by <c>store init</c>.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbSyncTests(DynaliteServer dynalite)
{
    [Fact]
    public async Task A_sync_a_prune_and_a_repeat_that_writes_nothing_on_dynamodb()
    {
        var options = await dynalite.NewTableAsync("sync");
        await using var specs = new DynamoDbSpecStore(dynalite.CreateClient(), options, streams: null, TimeProvider.System, ownsClient: true);
        using var statusClient = dynalite.CreateClient();
        var statuses = new DynamoDbSyncStatusStore(statusClient, SyncStatusStores.DynamoDbTableFor(options.TableName));
        using var repo = new ConfigRepository();
        var cacheFolder = Path.Combine(Path.GetTempPath(), "reconciler-dynamo-cache-" + Guid.NewGuid().ToString("N"));
        var source = new GitSource(repo.FileUrl, repo.Branch, "specs");
        Syncer Syncer() => new(new GitRepositoryCache(cacheFolder, GitCredentials.None, NullLogger.Instance), specs, statuses, new SyncOptions(source), TimeProvider.System, NullLogger.Instance);
        try
        {
            repo.Write("specs/a.json", SyncDocuments.Json("a"));
            repo.Write("specs/more.yaml", SyncDocuments.Yaml("b") + "---\n" + SyncDocuments.Yaml("c"));
            repo.Commit("first");
            Assert.Equal(SyncOutcome.Applied, (await Syncer().SyncAsync(false, CancellationToken.None)).Outcome);

            repo.Write("specs/more.yaml", SyncDocuments.Yaml("b"));
            var second = repo.Commit("c goes");
            var pruned = await Syncer().SyncAsync(false, CancellationToken.None);

            Assert.Equal(["c"], pruned.Plan!.Of(SyncAction.Prune).Select(c => c.Name));
            var stored = (await specs.ListAsync(new ListOptions(), CancellationToken.None)).Items;
            Assert.Equal(["a", "b"], stored.Select(d => d.Metadata.Name).Order());
            var (status, version) = await statuses.GetAsync(source.Id, CancellationToken.None);
            Assert.Equal(second, status!.LastAppliedRevision);

            var repeat = await Syncer().SyncAsync(false, CancellationToken.None);

            Assert.Equal(SyncOutcome.NoChange, repeat.Outcome);
            Assert.Equal(version, (await statuses.GetAsync(source.Id, CancellationToken.None)).Version);
            Assert.Equal(stored.Select(d => d.Metadata.ResourceVersion).Order(),
                (await specs.ListAsync(new ListOptions(), CancellationToken.None)).Items.Select(d => d.Metadata.ResourceVersion).Order());
            Assert.Single(await statuses.ListAsync(CancellationToken.None));
        }
        finally
        {
            ConfigRepository.DeleteFolder(cacheFolder);
        }
    }
}
