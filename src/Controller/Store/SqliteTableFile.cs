using Microsoft.Data.Sqlite;

namespace Reconciler.Controller.Store;

/// <summary>
/// A table kept beside the specs in the embedded store's SQLite file (leases, sync status): the one way such a table
/// is created and its connections opened, so every table of the file waits on the others' locks alike.
/// </summary>
public sealed class SqliteTableFile
{
    private readonly string _connectionString;

    private SqliteTableFile(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens <paramref name="path"/> (created if missing), in WAL mode, and runs <paramref name="schema"/> (idempotent DDL).</summary>
    public static async Task<SqliteTableFile> OpenAsync(string path, string schema, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 15 };
        var file = new SqliteTableFile(builder.ToString());
        await using var connection = await file.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;\n" + schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return file;
    }

    /// <summary>An open connection that waits up to 10 s for another writer's lock.</summary>
    public async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
