using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// The embedded spec store: one SQLite file in WAL mode. Every write and its change-log entry commit in one
/// transaction, so a watch that polls the change log by sequence sees writes made by any process.
/// </summary>
public sealed class SqliteSpecStore : ISpecStore, IAsyncDisposable, IDisposable
{
    private const int WatchBatch = 500;
    private const int PruneEvery = 32;

    // The write connection's page cache (SQLite's default is 2 MiB): the b-tree pages a write walks stay in it.
    private const int WriterCacheKibibytes = 16 * 1024;
    private const string Name = "sqlite";

    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly string _connectionString;
    // Writers in this process queue here instead of spinning on SQLITE_BUSY; other processes meet the file lock.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Every write of this process goes through one connection, held under the write lock: in WAL mode a connection
    // drops its page cache whenever another connection has written since its last transaction, so writes through
    // pooled connections in turn each read the b-tree again (a pread per page); this one keeps its pages warm. It also
    // checkpoints the WAL every 10,000 pages rather than 1,000: a page written many times between two checkpoints
    // (the change log's last page, the b-trees' inner pages) is copied back to the file once.
    private SqliteConnection? _writer;

    private SqliteSpecStore(SqliteStoreOptions options, TimeProvider clock, ILogger logger)
    {
        _options = options;
        _clock = clock;
        Telemetry = new StoreTelemetry(logger, Name);
        Templates = new SqliteTemplateStore(this, clock);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds) + 5,
        }.ToString();
    }

    public StoreTelemetry Telemetry { get; }

    public string Path => _options.Path;

    public ITemplateStore Templates { get; }

    /// <summary>Opens (creating if needed) the database file and its schema.</summary>
    public static async Task<SqliteSpecStore> OpenAsync(SqliteStoreOptions options, TimeProvider? clock = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var store = new SqliteSpecStore(options, clock ?? TimeProvider.System, logger ?? NullLogger.Instance);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        // WAL lets the controller read while the CLI writes; it is a property of the file, set once.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Execute(connection, null, """
            CREATE TABLE IF NOT EXISTS specs (
                name TEXT PRIMARY KEY,
                resource_version INTEGER NOT NULL,
                document TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                document TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS store_meta (
                key TEXT PRIMARY KEY,
                value INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO store_meta (key, value) VALUES ('pruned_through', 0);
            """);
        // Templates have a table of their own, so the spec list and change log never meet them.
        Execute(connection, null, SqliteTemplateStore.Schema);
        return store;
    }

    public async Task<PulumiPipeline> CreateAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        var created = ObjectLifecycle.ForCreate(document, _clock);
        return await WriteAsync((connection, transaction) =>
        {
            if (ReadCurrent(connection, transaction, created.Metadata.Name) is not null)
            {
                throw new StoreAlreadyExistsException($"document '{created.Metadata.Name}' already exists");
            }
            Persist(connection, transaction, StoreTransition.Put(created), WatchEventType.Added);
            return created;
        }, cancellationToken);
    }

    public async Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return ReadCurrent(connection, null, name);
    }

    public async Task<ListPage<PulumiPipeline>> ListAsync(ListOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Limit, 1);
        var selector = LabelSelector.Parse(options.LabelSelector);
        var continuation = ListContinuation.Decode(options.ContinueToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        // One read transaction: the page and the version come from the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        var version = continuation?.Version ?? LastSequence(connection, transaction).ToString(CultureInfo.InvariantCulture);
        var after = continuation?.After ?? "";
        var items = new List<PulumiPipeline>();
        var exhausted = false;
        while (items.Count < options.Limit && !exhausted)
        {
            var batch = Math.Max(options.Limit - items.Count, 64);
            using var command = Command(connection, transaction, "SELECT name, document FROM specs WHERE name > $after ORDER BY name LIMIT $limit;");
            command.Parameters.AddWithValue("$after", after);
            command.Parameters.AddWithValue("$limit", batch);
            using var reader = command.ExecuteReader();
            var read = 0;
            while (items.Count < options.Limit && reader.Read())
            {
                read++;
                after = reader.GetString(0);
                var document = TryRead(reader.GetString(1), $"'{after}' in {Path}");
                if (document is not null && selector.Matches(document.Metadata.Labels))
                {
                    items.Add(document);
                }
            }
            exhausted = items.Count < options.Limit && read < batch;
        }
        string? token = null;
        if (items.Count == options.Limit && HasMoreAfter(connection, transaction, after))
        {
            token = new ListContinuation(version, after).Encode();
        }
        return new ListPage<PulumiPipeline>(items, token, version);
    }

    public Task<PulumiPipeline> UpdateAsync(PulumiPipeline document, CancellationToken cancellationToken) =>
        MutateAsync(document.Metadata.Name, document.Metadata.ResourceVersion, null, current => ObjectLifecycle.ForUpdate(current, document), cancellationToken)!;

    public Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, PipelineStatus status, CancellationToken cancellationToken) =>
        UpdateStatusAsync(name, resourceVersion, null, status, cancellationToken);

    public Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, string? uid, PipelineStatus status, CancellationToken cancellationToken) =>
        MutateAsync(name, resourceVersion, uid, current => ObjectLifecycle.ForStatus(current, status), cancellationToken)!;

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        UpdateFinalizersAsync(name, resourceVersion, null, finalizers, cancellationToken);

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        MutateAsync(name, resourceVersion, uid, current => ObjectLifecycle.ForFinalizers(current, finalizers), cancellationToken);

    public Task<PulumiPipeline?> DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken) =>
        MutateAsync(name, resourceVersion, null, current => ObjectLifecycle.ForDelete(current, _clock), cancellationToken);

    public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long position;
        if (fromVersion is null)
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            position = LastSequence(connection, null);
        }
        else if (!long.TryParse(fromVersion, NumberStyles.None, CultureInfo.InvariantCulture, out position))
        {
            throw new WatchExpiredException($"watch version '{fromVersion}' is not a version of the SQLite store {Path}; relist");
        }
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await ReadChangesAsync(position, cancellationToken);
            foreach (var change in batch.Events)
            {
                yield return change;
            }
            position = batch.Position;
            if (batch.Rows < WatchBatch)
            {
                await Task.Delay(_options.WatchPollInterval, _clock, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await Task.CompletedTask;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeLock.Dispose();
    }

    private async Task<ChangeBatch> ReadChangesAsync(long position, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: true);
        var horizon = PrunedThrough(connection, transaction);
        var last = LastSequence(connection, transaction);
        if (position < horizon)
        {
            throw new WatchExpiredException(
                $"watch version {position} is older than the change log of {Path} keeps (pruned through {horizon}); relist and watch from the list's version");
        }
        if (position > last)
        {
            throw new WatchExpiredException(
                $"watch version {position} is ahead of the change log of {Path} (last {last}): the database was replaced; relist");
        }
        using var command = Command(connection, transaction, "SELECT seq, name, type, document FROM changes WHERE seq > $after ORDER BY seq LIMIT $limit;");
        command.Parameters.AddWithValue("$after", position);
        command.Parameters.AddWithValue("$limit", WatchBatch);
        using var reader = command.ExecuteReader();
        var events = new List<WatchEvent<PulumiPipeline>>();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
            position = reader.GetInt64(0);
            var where = $"'{reader.GetString(1)}' at change {position} in {Path}";
            var document = TryRead(reader.GetString(3), where);
            if (document is null)
            {
                continue;
            }
            if (!Enum.TryParse<WatchEventType>(reader.GetString(2), out var type))
            {
                Telemetry.ReportMalformed(where, new StoreInvalidDocumentException($"unknown change type '{reader.GetString(2)}'"));
                continue;
            }
            events.Add(new WatchEvent<PulumiPipeline>(type, document, position.ToString(CultureInfo.InvariantCulture)));
        }
        return new ChangeBatch(events, position, rows);
    }

    private async Task<PulumiPipeline?> MutateAsync(string name, string? resourceVersion, string? uid, Func<PulumiPipeline, StoreTransition> decide, CancellationToken cancellationToken) =>
        await WriteAsync((connection, transaction) =>
        {
            var current = ReadCurrent(connection, transaction, name) ?? throw new StoreNotFoundException($"document '{name}' not found");
            ObjectLifecycle.CheckPrecondition(current, resourceVersion, uid);
            var transition = decide(current);
            Persist(connection, transaction, transition, WatchEventType.Modified);
            return transition.Kind == StoreTransitionKind.Remove ? null : transition.Document;
        }, cancellationToken);

    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> body, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_writer is null)
            {
                _writer = await OpenConnectionAsync(cancellationToken);
                Execute(_writer, null, $"PRAGMA cache_size = -{WriterCacheKibibytes}; PRAGMA wal_autocheckpoint = 10000;");
            }
            try
            {
                // BEGIN IMMEDIATE: take the write lock up front, so two processes never both read then both fail to upgrade.
                using var transaction = _writer.BeginTransaction(deferred: false);
                var result = body(_writer, transaction);
                transaction.Commit();
                return result;
            }
            catch (SqliteException)
            {
                // A connection an error left in doubt (a busy file, an I/O error) is not used again.
                await _writer.DisposeAsync();
                _writer = null;
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Persist(SqliteConnection connection, SqliteTransaction transaction, StoreTransition transition, WatchEventType putType)
    {
        if (transition.Kind == StoreTransitionKind.Unchanged)
        {
            return;
        }
        var document = transition.Document;
        var json = StoredDocumentJson.Serialize(document);
        if (transition.Kind == StoreTransitionKind.Put)
        {
            using var put = Command(connection, transaction, "INSERT OR REPLACE INTO specs (name, resource_version, document) VALUES ($name, $rv, $doc);");
            put.Parameters.AddWithValue("$name", document.Metadata.Name);
            put.Parameters.AddWithValue("$rv", ObjectLifecycle.ResourceVersionOf(document));
            put.Parameters.AddWithValue("$doc", json);
            put.ExecuteNonQuery();
        }
        else
        {
            using var remove = Command(connection, transaction, "DELETE FROM specs WHERE name = $name;");
            remove.Parameters.AddWithValue("$name", document.Metadata.Name);
            remove.ExecuteNonQuery();
        }
        using var log = Command(connection, transaction, "INSERT INTO changes (name, type, document) VALUES ($name, $type, $doc) RETURNING seq;");
        log.Parameters.AddWithValue("$name", document.Metadata.Name);
        log.Parameters.AddWithValue("$type", (transition.Kind == StoreTransitionKind.Remove ? WatchEventType.Deleted : putType).ToString());
        log.Parameters.AddWithValue("$doc", json);
        var seq = Convert.ToInt64(log.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (seq % PruneEvery == 0 && seq > _options.ChangeLogRetention)
        {
            Prune(connection, transaction, seq - _options.ChangeLogRetention);
        }
    }

    private void Prune(SqliteConnection connection, SqliteTransaction transaction, long through)
    {
        using var prune = Command(connection, transaction, """
            DELETE FROM changes WHERE seq <= $through;
            UPDATE store_meta SET value = max(value, $through) WHERE key = 'pruned_through';
            """);
        prune.Parameters.AddWithValue("$through", through);
        prune.ExecuteNonQuery();
        StoreTelemetry.LogPruned(Telemetry.Logger, Name, through);
    }

    private PulumiPipeline? ReadCurrent(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        using var command = Command(connection, transaction, "SELECT document FROM specs WHERE name = $name;");
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is string json ? StoredDocumentJson.Deserialize(json, $"'{name}' in {Path}") : null;
    }

    private PulumiPipeline? TryRead(string json, string where)
    {
        try
        {
            return StoredDocumentJson.Deserialize(json, where);
        }
        catch (StoreInvalidDocumentException e)
        {
            Telemetry.ReportMalformed(where, e);
            return null;
        }
    }

    private static bool HasMoreAfter(SqliteConnection connection, SqliteTransaction transaction, string after)
    {
        using var command = Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM specs WHERE name > $after);");
        command.Parameters.AddWithValue("$after", after);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    private static long LastSequence(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = Command(connection, transaction, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0);");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static long PrunedThrough(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = Command(connection, transaction, "SELECT value FROM store_meta WHERE key = 'pruned_through';");
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Execute(connection, null, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private sealed record ChangeBatch(IReadOnlyList<WatchEvent<PulumiPipeline>> Events, long Position, int Rows);
}
