using System.Text.Json;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Sync;

/// <summary>Sync status in the <c>sync_status</c> table of the embedded store's SQLite file.</summary>
public sealed class SqliteSyncStatusStore : ISyncStatusStore
{
    private readonly SqliteTableFile _file;

    private SqliteSyncStatusStore(SqliteTableFile file) => _file = file;

    /// <summary>Opens the file (creating the table if needed); pass the spec store's path to share its file.</summary>
    public static async Task<SqliteSyncStatusStore> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await SqliteTableFile.OpenAsync(path,
            "CREATE TABLE IF NOT EXISTS sync_status (source TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;",
            cancellationToken));

    public async Task<(SyncStatus? Status, long Version)> GetAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await _file.ConnectAsync(cancellationToken);
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
        await using var connection = await _file.ConnectAsync(cancellationToken);
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
        await using var connection = await _file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = expectedVersion == 0
            ? "INSERT INTO sync_status (source, body, version) VALUES ($source, $body, 1) ON CONFLICT (source) DO NOTHING"
            : "UPDATE sync_status SET body = $body, version = version + 1 WHERE source = $source AND version = $expected";
        command.Parameters.AddWithValue("$source", status.Source);
        command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(status, SyncJsonContext.Default.SyncStatus));
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? expectedVersion + 1 : null;
    }
}
