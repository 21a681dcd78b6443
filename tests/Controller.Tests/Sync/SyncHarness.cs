using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>A config repository, a git cache, and a real SQLite store with its sync status table, in one temporary folder.</summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private SyncHarness(string folder, SqliteSpecStore store, SqliteSyncStatusStore statuses)
    {
        Folder = folder;
        Store = store;
        Statuses = statuses;
        Cache = new GitRepositoryCache(Path.Combine(folder, "git-cache"), GitCredentials.None, NullLogger.Instance);
    }

    public string Folder { get; }

    public ConfigRepository Repo { get; } = new();

    public SqliteSpecStore Store { get; }

    public SqliteSyncStatusStore Statuses { get; }

    public GitRepositoryCache Cache { get; }

    public string DatabasePath => Path.Combine(Folder, "specs.db");

    public static async Task<SyncHarness> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "reconciler-sync-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "specs.db");
        var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = database });
        return new SyncHarness(folder, store, await SqliteSyncStatusStore.OpenAsync(database, CancellationToken.None));
    }

    public GitSource Source(string? reference = null, string path = "specs") => new(Repo.Folder, reference ?? Repo.Branch, path);

    public Syncer Syncer(SyncOptions? options = null, Action<SyncChange>? written = null) =>
        new(Cache, Store, Statuses, options ?? new SyncOptions(Source()), TimeProvider.System, NullLogger.Instance) { Written = written };

    public async Task<IReadOnlyList<PulumiPipeline>> StoredAsync() =>
        [.. (await Store.ListAsync(new ListOptions(Limit: 1000), CancellationToken.None)).Items.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal)];

    public async Task<SyncStatus?> StatusAsync(GitSource? source = null) => (await Statuses.GetAsync((source ?? Source()).Id, CancellationToken.None)).Status;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Repo.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        ConfigRepository.DeleteFolder(Folder);
    }
}
