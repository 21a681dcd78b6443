using Microsoft.Data.Sqlite;
using Reconciler.Controller.Store;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>The store contract on a temporary SQLite file, plus what only the change log has: pruning.</summary>
public sealed class SqliteSpecStoreTests : SpecStoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-store-").FullName;
    private int _retention = 10_000;

    private string DatabasePath => Path.Combine(_directory, "reconciler.db");

    protected override bool VersionsSurviveRestart => true;

    protected override async Task<ISpecStore> OpenBackendAsync(TimeProvider clock) =>
        await SqliteSpecStore.OpenAsync(
            new SqliteStoreOptions { Path = DatabasePath, WatchPollInterval = TimeSpan.FromMilliseconds(20), ChangeLogRetention = _retention },
            clock);

    protected override async Task InjectMalformedAsync(string name)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO specs (name, resource_version, document) VALUES ($name, 1, '{"metadata": "not an object"');
            INSERT INTO changes (name, type, document) VALUES ($name, 'Added', 'garbage');
            """;
        command.Parameters.AddWithValue("$name", name);
        await command.ExecuteNonQueryAsync();
    }

    protected override long MalformedSkipped(ISpecStore store) => ((SqliteSpecStore)store).Telemetry.MalformedItemsSkipped;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_watch_behind_the_pruned_change_log_is_told_to_relist()
    {
        _retention = 40;
        var store = await OpenAsync();
        var doc = await store.CreateAsync(Pipeline("busy"), Ct);
        for (var i = 0; i < 100; i++)
        {
            doc = await store.UpdateStatusAsync("busy", doc.Metadata.ResourceVersion!, Status($"step-{i}", 1), Ct);
        }

        await using var stale = new WatchCollector(store, "1");
        var error = await Assert.ThrowsAsync<WatchExpiredException>(() => stale.WaitForAsync(_ => true));
        Assert.Contains("relist", error.Message, StringComparison.Ordinal);

        // The log still holds the recent past: a watch from a recent version works.
        var page = await store.ListAsync(new ListOptions(), Ct);
        await using var fresh = new WatchCollector(store, (long.Parse(page.Version!, System.Globalization.CultureInfo.InvariantCulture) - 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var seen = await fresh.WaitForAsync(e => e.Object.Status?.Phase == "step-99");
        Assert.Equal("busy", seen.Object.Metadata.Name);
    }

    [Fact]
    public async Task A_watch_sees_writes_made_through_another_connection_to_the_same_file()
    {
        var watcherStore = await OpenAsync();
        var writerStore = await OpenAsync();
        var page = await watcherStore.ListAsync(new ListOptions(), Ct);
        await using var fromList = new WatchCollector(watcherStore, page.Version);
        await writerStore.CreateAsync(Pipeline("elsewhere"), Ct);
        var seen = await fromList.WaitForAsync(e => e.Object.Metadata.Name == "elsewhere");
        Assert.Equal(WatchEventType.Added, seen.Type);
    }
}
