using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Reconciler.Controller.Sync;

/// <summary>Sync status in the <c>sync_status</c> table of the embedded store's SQLite file.</summary>
public sealed class SqliteSyncStatusStore : ISyncStatusStore
{
    private readonly string connectionString;

    private SqliteSyncStatusStore(string connectionString) => this.connectionString = connectionString;

    public static async Task<SqliteSyncStatusStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 15 };
        var store = new SqliteSyncStatusStore(builder.ToString());
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS sync_status (source TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return store;
    }

    public async Task<(SyncStatus? Status, long Version)> GetAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body, version FROM sync_status WHERE source = $source";
        command.Parameters.AddWithValue("$source", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (JsonSerializer.Deserialize(reader.GetString(0), SyncJsonContext.Default.SyncStatus), reader.GetInt64(1))
            : (null, 0);
    }

    public async Task<IReadOnlyList<SyncStatus>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM sync_status ORDER BY source";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var statuses = new List<SyncStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            statuses.Add(JsonSerializer.Deserialize(reader.GetString(0), SyncJsonContext.Default.SyncStatus)!);
        }
        return statuses;
    }

    public async Task<long?> TryPutAsync(SyncStatus status, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = expectedVersion == 0
            ? "INSERT INTO sync_status (source, body, version) VALUES ($source, $body, 1) ON CONFLICT (source) DO NOTHING"
            : "UPDATE sync_status SET body = $body, version = version + 1 WHERE source = $source AND version = $expected";
        command.Parameters.AddWithValue("$source", status.Source);
        command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(status, SyncJsonContext.Default.SyncStatus));
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? expectedVersion + 1 : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
