using Microsoft.Data.Sqlite;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// Templates in the spec store's SQLite file, in a table of their own (<c>templates</c>): the spec list and the
/// change log the spec watch polls are untouched by them. Writes share the spec store's write lock and transactions.
/// </summary>
internal sealed class SqliteTemplateStore(SqliteSpecStore owner, TimeProvider clock) : ITemplateStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS templates (
            name TEXT PRIMARY KEY,
            resource_version INTEGER NOT NULL,
            document TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    public async Task<PulumiPipelineTemplate> CreateAsync(PulumiPipelineTemplate template, CancellationToken cancellationToken)
    {
        var created = TemplateLifecycle.ForCreate(template, clock);
        return await owner.WriteAsync((connection, transaction) =>
        {
            if (Read(connection, transaction, created.Metadata.Name) is not null)
            {
                throw new StoreAlreadyExistsException($"template '{created.Metadata.Name}' already exists");
            }
            Put(connection, transaction, created);
            return created;
        }, cancellationToken);
    }

    public async Task<PulumiPipelineTemplate?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        return Read(connection, null, name);
    }

    public async Task<IReadOnlyList<PulumiPipelineTemplate>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        using var command = SqliteSpecStore.Command(connection, null, "SELECT name, document FROM templates ORDER BY name;");
        using var reader = command.ExecuteReader();
        var templates = new List<PulumiPipelineTemplate>();
        while (reader.Read())
        {
            templates.Add(TemplateLifecycle.Deserialize(reader.GetString(1), $"'{reader.GetString(0)}' in {owner.Path}"));
        }
        return templates;
    }

    public async Task<PulumiPipelineTemplate> UpdateAsync(PulumiPipelineTemplate template, CancellationToken cancellationToken) =>
        await owner.WriteAsync((connection, transaction) =>
        {
            var name = template.Metadata.Name;
            var current = Read(connection, transaction, name) ?? throw new StoreNotFoundException($"template '{name}' not found");
            if (TemplateLifecycle.ForUpdate(current, template) is not { } updated)
            {
                return current;
            }
            Put(connection, transaction, updated);
            return updated;
        }, cancellationToken);

    public async Task DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken) =>
        await owner.WriteAsync((connection, transaction) =>
        {
            var current = Read(connection, transaction, name) ?? throw new StoreNotFoundException($"template '{name}' not found");
            TemplateLifecycle.CheckPrecondition(current, resourceVersion);
            using var remove = SqliteSpecStore.Command(connection, transaction, "DELETE FROM templates WHERE name = $name;");
            remove.Parameters.AddWithValue("$name", name);
            return remove.ExecuteNonQuery();
        }, cancellationToken);

    private static void Put(SqliteConnection connection, SqliteTransaction transaction, PulumiPipelineTemplate template)
    {
        using var put = SqliteSpecStore.Command(connection, transaction, "INSERT OR REPLACE INTO templates (name, resource_version, document) VALUES ($name, $rv, $doc);");
        put.Parameters.AddWithValue("$name", template.Metadata.Name);
        put.Parameters.AddWithValue("$rv", TemplateLifecycle.ResourceVersionOf(template));
        put.Parameters.AddWithValue("$doc", TemplateLifecycle.Serialize(template));
        put.ExecuteNonQuery();
    }

    private PulumiPipelineTemplate? Read(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        using var command = SqliteSpecStore.Command(connection, transaction, "SELECT document FROM templates WHERE name = $name;");
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is string json ? TemplateLifecycle.Deserialize(json, $"'{name}' in {owner.Path}") : null;
    }
}
