using Reconciler.Controller.Store;

namespace Reconciler.Controller.Runtime;

/// <summary>Leases in the <c>leases</c> table of the embedded store's SQLite file; each write is one conditional statement.</summary>
public sealed class SqliteLeaseStore : ILeaseStore
{
    private readonly SqliteTableFile _file;

    private SqliteLeaseStore(SqliteTableFile file) => _file = file;

    /// <summary>Opens the file (creating the table if needed); pass the spec store's path to share its file.</summary>
    public static async Task<SqliteLeaseStore> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await SqliteTableFile.OpenAsync(path, """
            CREATE TABLE IF NOT EXISTS leases (
                shard TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                version INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS lease_settings (
                name TEXT PRIMARY KEY,
                value INTEGER NOT NULL,
                version INTEGER NOT NULL
            ) WITHOUT ROWID;
            """, cancellationToken));

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT shard, holder, expires_at, version FROM leases ORDER BY shard";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var leases = new List<Lease>();
        while (await reader.ReadAsync(cancellationToken))
        {
            leases.Add(new Lease(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetInt64(3)));
        }
        return leases;
    }

    public async Task<bool> TryWriteAsync(Lease lease, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await _file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = expectedVersion == 0
            ? "INSERT INTO leases (shard, holder, expires_at, version) VALUES ($shard, $holder, $expires, $version) ON CONFLICT (shard) DO NOTHING"
            : "UPDATE leases SET holder = $holder, expires_at = $expires, version = $version WHERE shard = $shard AND version = $expected";
        command.Parameters.AddWithValue("$shard", lease.Name);
        command.Parameters.AddWithValue("$holder", lease.Holder);
        command.Parameters.AddWithValue("$expires", lease.ExpiresAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$version", lease.Version);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> TryDeleteAsync(string name, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await _file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM leases WHERE shard = $shard AND version = $expected";
        command.Parameters.AddWithValue("$shard", name);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<LeaseSetting?> ReadSettingAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await _file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value, version FROM lease_settings WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new LeaseSetting(name, reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public async Task<bool> TryWriteSettingAsync(LeaseSetting setting, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await _file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = expectedVersion == 0
            ? "INSERT INTO lease_settings (name, value, version) VALUES ($name, $value, $version) ON CONFLICT (name) DO NOTHING"
            : "UPDATE lease_settings SET value = $value, version = $version WHERE name = $name AND version = $expected";
        command.Parameters.AddWithValue("$name", setting.Name);
        command.Parameters.AddWithValue("$value", setting.Value);
        command.Parameters.AddWithValue("$version", setting.Version);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
