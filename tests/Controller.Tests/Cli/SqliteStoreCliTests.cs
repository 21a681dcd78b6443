using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.SpecStore;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>The CLI against a SQLite file, plus what only a file store shows: a watch here sees the CLI's writes.</summary>
public sealed class SqliteStoreCliTests : StoreCliTests
{
    private SqliteSpecStore? _store;

    private string DatabasePath => Path.Combine(Directory, "state", "reconciler.db");

    protected override IReadOnlyList<string> StoreArguments => ["--store", $"sqlite:{DatabasePath}"];

    protected override async Task<ISpecStore> OpenStoreAsync() =>
        _store ??= await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = DatabasePath, WatchPollInterval = TimeSpan.FromMilliseconds(20) });

    public override async Task DisposeAsync()
    {
        _store?.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_watch_in_this_process_sees_an_apply_made_by_another_process()
    {
        var store = await OpenStoreAsync();
        var page = await store.ListAsync(new ListOptions(), CancellationToken.None);
        await using var watch = new WatchCollector(store, page.Version);
        var result = await RunAsync("apply", "-f", WriteDocument("website.json", Sample("website")));
        Assert.True(result.ExitCode == 0, result.ToString());
        var seen = await watch.WaitForAsync(e => e.Object.Metadata.Name == "website");
        Assert.Equal(WatchEventType.Added, seen.Type);
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_a_missing_document_exits_1()
    {
        Assert.Equal(2, (await RunAsync("apply")).ExitCode);
        Assert.Equal(2, (await RunAsync("get", "-o", "xml")).ExitCode);
        var badStore = await ReconcilerProcess.RunAsync(["get", "--store", "postgres:x"]);
        Assert.Equal(2, badStore.ExitCode);
        Assert.Contains("sqlite:<path> or dynamodb:<table>", badStore.Error, StringComparison.Ordinal);
        var missing = await RunAsync("get", "nothing-here");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'nothing-here' not found", missing.Error, StringComparison.Ordinal);
        var help = await RunAsync("--help");
        Assert.Contains("Exit codes: 0 ok; 1 failure", help.Output, StringComparison.Ordinal);
    }
}
