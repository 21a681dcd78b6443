using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using LibGit2Sharp;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// The sync scenario: <c>reconciler sync</c> of a config repository of 1,000 documents into an empty store (clone,
/// validation and 1,000 creates), then a re-sync of the same revision, which must write nothing; SQLite and dynalite.
/// </summary>
internal static class SyncScenario
{
    private const int Count = 1_000;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("reconciler-bench-sync-");
        try
        {
            var repository = Path.Combine(work.FullName, "config");
            StoreScenario.WriteDocuments(Path.Combine(repository, "specs"), Count);
            Repository.Init(repository);
            string branch;
            using (var git = new Repository(repository))
            {
                Commands.Stage(git, "*");
                var author = new Signature("bench", "bench@example.invalid", DateTimeOffset.UtcNow);
                git.Commit("1,000 documents", author, author);
                branch = git.Head.FriendlyName;
            }
            Console.WriteLine($"sync bench: a repository of {Count:N0} documents; {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| store | first sync, 1,000 creates (s) | re-sync, no change (s) | writes by the re-sync |");
            Console.WriteLine("|---|---|---|---|");

            var sqlitePath = Path.Combine(work.FullName, "bench.db");
            await ReportAsync("SQLite", $"sqlite:{sqlitePath}", [], repository, branch, Path.Combine(work.FullName, "cache-sqlite"),
                async () => (await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = sqlitePath }, cancellationToken: cancellationToken),
                    await SqliteSyncStatusStore.OpenAsync(sqlitePath, cancellationToken)), cancellationToken);

            using var dynalite = await DynaliteProcess.StartAsync(cancellationToken);
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "bench");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "bench");
            var options = new DynamoDbStoreOptions { TableName = "bench-sync" };
            using (var client = Client(dynalite.Endpoint))
            {
                await DynamoDbTables.EnsureAsync(client, options, TimeProvider.System, cancellationToken);
            }
            await ReportAsync("DynamoDB (dynalite)", $"dynamodb:{options.TableName}", ["--endpoint-url", dynalite.Endpoint.ToString()], repository, branch,
                Path.Combine(work.FullName, "cache-dynamodb"),
                () => Task.FromResult<(ISpecStore, ISyncStatusStore)>((new DynamoDbSpecStore(Client(dynalite.Endpoint), options, ownsClient: true),
                    new DynamoDbSyncStatusStore(Client(dynalite.Endpoint), SyncStatusStores.DynamoDbTableFor(options.TableName)))), cancellationToken);
            return 0;
        }
        finally
        {
            foreach (var file in work.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                file.Attributes = FileAttributes.Normal;
            }
            work.Delete(recursive: true);
        }
    }

    private static async Task ReportAsync(string label, string store, string[] extra, string repository, string branch, string cache,
        Func<Task<(ISpecStore Specs, ISyncStatusStore Statuses)>> open, CancellationToken cancellationToken)
    {
        string[] sync = ["sync", "--repo", repository, "--ref", branch, "--path", "specs", "--store", store, "--cache-dir", cache, .. extra];
        var first = await TimeAsync(sync, cancellationToken);
        var (specs, statuses) = await open();
        var before = await WritesAsync(specs, statuses, cancellationToken);
        var again = await TimeAsync(sync, cancellationToken);
        var after = await WritesAsync(specs, statuses, cancellationToken);
        if (specs is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {first.TotalSeconds:0.00} | {again.TotalSeconds:0.00} | {after - before} |"));
    }

    private static async Task<TimeSpan> TimeAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var clock = Stopwatch.StartNew();
        var exit = await CommandLineApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = output }, cancellationToken);
        clock.Stop();
        if (exit != 0)
        {
            throw new InvalidOperationException($"sync failed (exit {exit}): {output}");
        }
        return clock.Elapsed;
    }

    // Every write moves a document's resourceVersion or the status record's version: their sum counts the writes.
    private static async Task<long> WritesAsync(ISpecStore specs, ISyncStatusStore statuses, CancellationToken cancellationToken)
    {
        long total = 0;
        string? next = null;
        do
        {
            var page = await specs.ListAsync(new ListOptions(Limit: 500, ContinueToken: next), cancellationToken);
            total += page.Items.Sum(d => long.Parse(d.Metadata.ResourceVersion ?? "0", CultureInfo.InvariantCulture));
            next = page.ContinueToken;
        }
        while (next is not null);
        foreach (var status in await statuses.ListAsync(cancellationToken))
        {
            total += (await statuses.GetAsync(status.Source, cancellationToken)).Version;
        }
        return total;
    }

    private static AmazonDynamoDBClient Client(Uri endpoint) => new(new BasicAWSCredentials("bench", "bench"),
        new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" });
}
