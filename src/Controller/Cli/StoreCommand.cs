using System.CommandLine;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler store init</c>: creates the store (SQLite file, or the DynamoDB spec and lease tables) idempotently.</summary>
public static class StoreCommand
{
    public static Command Create()
    {
        var command = new Command("store", "Manage the spec store.");
        var init = new Command("init",
            "Create the store if it does not exist: the SQLite file, or the DynamoDB spec table (streams with new and old images, " +
            "on-demand billing), its <table>-leases table and its <table>-sync table (GitOps sync status); waits until they are ACTIVE. Safe to run again. " + ExitCodes.HelpText);
        var store = new StoreOptions();
        store.AddTo(init);
        init.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            return await store.RunAsync(parse, async (specs, location) =>
            {
                if (location.Kind == StoreKind.Sqlite)
                {
                    await output.WriteLineAsync($"sqlite store ready at {Path.GetFullPath(location.Target)}");
                    return ExitCodes.Ok;
                }
                using var client = location.CreateDynamoDbClient();
                foreach (var table in await DynamoDbTables.EnsureAsync(client, location.DynamoDbOptions, TimeProvider.System, cancellationToken))
                {
                    await output.WriteLineAsync($"table {table.Table} {(table.Created ? "created" : "exists")}, ACTIVE");
                    if (table.Warning is not null)
                    {
                        await parse.InvocationConfiguration.Error.WriteLineAsync($"warning: table {table.Table}: {table.Warning}");
                    }
                }
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        command.Subcommands.Add(init);
        return command;
    }
}
