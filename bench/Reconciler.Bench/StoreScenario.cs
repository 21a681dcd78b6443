using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// The store scenario: <c>apply</c> of 1,000 documents (the real command, validation included), List of 10,000,
/// and watch latency (write → event) p50/p95, for SQLite and for DynamoDB through dynalite.
/// </summary>
internal static class StoreScenario
{
    private const int ApplyCount = 1_000;
    private const int ListCount = 10_000;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var watchSamples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var work = Directory.CreateTempSubdirectory("reconciler-bench-");
        try
        {
            var specs = WriteDocuments(Path.Combine(work.FullName, "specs"), ApplyCount);
            Console.WriteLine($"store bench: apply {ApplyCount:N0} docs, list {ListCount:N0}, watch latency over {watchSamples} writes; {Environment.ProcessorCount} cores");
            // Validation alone (what apply does before it writes), measured once on warm code.
            var texts = Directory.GetFiles(specs).Select(f => (f, File.ReadAllText(f))).ToList();
            Reconciler.Model.Validation.SpecValidator.Validate(texts[0].f, texts[0].Item2);
            var validation = Stopwatch.StartNew();
            foreach (var (file, text) in texts)
            {
                Reconciler.Model.Validation.SpecValidator.Validate(file, text);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"validation of {ApplyCount:N0} documents alone: {validation.Elapsed.TotalSeconds:0.00} s"));
            Console.WriteLine();
            Console.WriteLine("| store | apply 1,000 (s) | list 10,000 (s) | watch poll interval | watch p50 (ms) | watch p95 (ms) |");
            Console.WriteLine("|---|---|---|---|---|---|");

            var sqlitePath = Path.Combine(work.FullName, "bench.db");
            var sqliteOptions = new SqliteStoreOptions { Path = sqlitePath };
            await ReportAsync("SQLite (WAL file)", $"sqlite:{sqlitePath}", [], sqliteOptions.WatchPollInterval, specs, watchSamples,
                async () => await SqliteSpecStore.OpenAsync(sqliteOptions, cancellationToken: cancellationToken), cancellationToken);

            using var dynalite = await DynaliteProcess.StartAsync(cancellationToken);
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "bench");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "bench");
            var dynamoOptions = new DynamoDbStoreOptions { TableName = "bench-specs" };
            using (var client = Client(dynalite.Endpoint))
            {
                await DynamoDbTables.EnsureAsync(client, dynamoOptions, TimeProvider.System, cancellationToken);
            }
            await ReportAsync("DynamoDB (dynalite, polling watch)", $"dynamodb:{dynamoOptions.TableName}", ["--endpoint-url", dynalite.Endpoint.ToString()],
                dynamoOptions.WatchPollInterval, specs, watchSamples,
                () => Task.FromResult<ISpecStore>(new DynamoDbSpecStore(Client(dynalite.Endpoint), dynamoOptions, ownsClient: true)), cancellationToken);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task ReportAsync(string label, string store, string[] extra, TimeSpan interval, string specs, int watchSamples,
        Func<Task<ISpecStore>> open, CancellationToken cancellationToken)
    {
        var apply = Stopwatch.StartNew();
        var output = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(["apply", "-f", specs, "--store", store, .. extra], new InvocationConfiguration { Output = output, Error = output }, cancellationToken);
        apply.Stop();
        if (exit != 0)
        {
            throw new InvalidOperationException($"apply failed: {output}");
        }

        var specStore = await open();
        try
        {
            for (var i = ApplyCount; i < ListCount; i++)
            {
                await specStore.CreateAsync(Document($"load-{i:D5}"), cancellationToken);
            }
            var list = Stopwatch.StartNew();
            var listed = 0;
            string? token = null;
            do
            {
                var page = await specStore.ListAsync(new ListOptions(Limit: 500, ContinueToken: token), cancellationToken);
                listed += page.Items.Count;
                token = page.ContinueToken;
            }
            while (token is not null);
            list.Stop();
            if (listed != ListCount)
            {
                throw new InvalidOperationException($"listed {listed}, expected {ListCount}");
            }

            var (p50, p95) = await WatchLatencyAsync(specStore, watchSamples, interval, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {apply.Elapsed.TotalSeconds:0.00} | {list.Elapsed.TotalSeconds:0.00} | {interval.TotalMilliseconds:0} ms | {p50:0} | {p95:0} |"));
        }
        finally
        {
            if (specStore is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>One write at a time, at a random phase of the poll; latency is from just before the write to the event.</summary>
    private static async Task<(double P50, double P95)> WatchLatencyAsync(ISpecStore store, int samples, TimeSpan interval, CancellationToken cancellationToken)
    {
        var doc = await store.CreateAsync(Document("watched"), cancellationToken);
        var page = await store.ListAsync(new ListOptions(Limit: 1), cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var arrivals = System.Threading.Channels.Channel.CreateUnbounded<(string Version, long At)>();
        var pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in store.WatchAsync(page.Version, stop.Token))
                {
                    if (change.Object.Metadata.Name == "watched")
                    {
                        await arrivals.Writer.WriteAsync((change.Object.Metadata.ResourceVersion!, Stopwatch.GetTimestamp()), stop.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, stop.Token);
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds), cancellationToken);
            var started = Stopwatch.GetTimestamp();
            doc = await store.UpdateStatusAsync("watched", doc.Metadata.ResourceVersion!, new PipelineStatus { Phase = $"sample-{i}" }, cancellationToken);
            while (true)
            {
                var (version, at) = await arrivals.Reader.ReadAsync(cancellationToken);
                if (version == doc.Metadata.ResourceVersion)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
                    break;
                }
            }
        }
        await stop.CancelAsync();
        await pump;
        latencies.Sort();
        return (Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95));
    }


    internal static string WriteDocuments(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(directory, $"app-{i:D4}.json"), DocumentOutput.Json(Document($"app-{i:D4}")));
        }
        return directory;
    }

    private static PulumiPipeline Document(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["team"] = "bench" } },
        Spec = new PipelineSpec
        {
            Source = new SourceSpec { Type = "GITHUB", Location = $"https://github.com/acme/{name}.git", ConnectionArn = "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc" },
            Pulumi = new PulumiSettings { CliVersion = "3.140.0", AccessTokenParameter = "/pulumi/access-token" },
            Build = new BuildSettings { ServiceRoleArn = "arn:aws:iam::111122223333:role/pulumi-codebuild" },
            Stages =
            [
                new StageSpec { Name = "preview", Stack = $"acme/{name}/staging", Operation = StageOperations.Preview, On = new TriggerSpec { PullRequest = new PullRequestTrigger { BaseBranch = "main" } } },
                new StageSpec { Name = "staging", Stack = $"acme/{name}/staging", Operation = StageOperations.Up, On = new TriggerSpec { Push = new PushTrigger { Branch = "main" } } },
            ],
        },
    };

    private static AmazonDynamoDBClient Client(Uri endpoint) =>
        new(new BasicAWSCredentials("bench", "bench"), new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" });
}
