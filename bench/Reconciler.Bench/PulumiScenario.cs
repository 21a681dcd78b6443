using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Engines.Pulumi;
using Reconciler.Controller.Engines.Pulumi.Automation;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.LocalCloud;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Rendering.Pulumi;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// The Pulumi engine through the stand-in CLI (test infrastructure, not the real CLI): N specs created, then all changed,
/// at each <c>--pulumi-concurrency</c>; CLI processes by command (counted by the stand-in) and wall time. Then the cost
/// of one CLI process: the peak RSS of a stand-in <c>up</c> of one spec, and the controller's own peak.
/// </summary>
internal static class PulumiScenario
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var specs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var concurrencies = (args.Length > 1 ? args[1] : "1,4,8").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var website = Sample("website.json");
        var cli = Path.Combine(AppContext.BaseDirectory, "pulumi");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"the stand-in CLI is not built beside the bench ({cli})");
            return 1;
        }
        Console.WriteLine($"pulumi bench: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {specs} specs of 3 stages (6 resources each), " +
            "SQLite store, LocalCloud in its own process, the stand-in pulumi CLI (test infrastructure, not the real CLI), 16 workers");
        Console.WriteLine();
        Console.WriteLine("| --pulumi-concurrency | phase | wall time (s) | CLI processes | by command | load average after |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var concurrency in concurrencies)
        {
            var work = Directory.CreateTempSubdirectory("reconciler-bench-pulumi-");
            try
            {
                await using var cloud = await LocalCloudProcess.StartAsync([website.Spec.Pulumi.AccessTokenParameter], cancellationToken);
                using var clients = new AwsClients(EmbeddedCloud.ClientOptionsFor(cloud.Endpoint), null, environment: _ => null);
                await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(work.FullName, "bench.db") }, cancellationToken: cancellationToken);
                var count = Path.Combine(work.FullName, "invocations.txt");
                var engines = new EngineRegistry([new DirectEngineDefinition(), new PulumiEngineDefinitionWithEnvironment(CliEnvironment(work.FullName, cloud.Endpoint, count))]);
                var options = new PipelineControllerOptions
                {
                    Workers = 16,
                    BatchWindow = TimeSpan.FromMilliseconds(20),
                    Engine = PulumiEngine.EngineName,
                    EngineSettings = new Dictionary<string, string>
                    {
                        [PulumiEngineDefinition.Cli.Name] = cli,
                        [PulumiEngineDefinition.WorkDir.Name] = Path.Combine(work.FullName, "stacks"),
                        [PulumiEngineDefinition.Concurrency.Name] = concurrency.ToString(CultureInfo.InvariantCulture),
                    },
                };
                await using var host = new ReconcilerHost(store, clients.Services, new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromHours(1) }, TimeProvider.System, NullLoggerFactory.Instance, engines: engines);
                host.Add(new PipelineController(host, options));
                foreach (var i in Enumerable.Range(0, specs))
                {
                    await store.CreateAsync(website with { Metadata = website.Metadata with { Name = $"p{i:D4}" } }, cancellationToken);
                }

                var clock = Stopwatch.StartNew();
                await host.StartAsync(cancellationToken);
                await WaitReadyAsync(store, specs, generation: 1, cancellationToken);
                Console.WriteLine(Row(concurrency, "create", clock.Elapsed, Commands(count)));

                var before = Commands(count);
                clock.Restart();
                foreach (var i in Enumerable.Range(0, specs))
                {
                    var document = (await store.GetAsync($"p{i:D4}", cancellationToken))!;
                    await store.UpdateAsync(document with { Spec = document.Spec with { Build = document.Spec.Build with { TimeoutMinutes = 45 } } }, cancellationToken);
                }
                await WaitReadyAsync(store, specs, generation: 2, cancellationToken);
                Console.WriteLine(Row(concurrency, "change", clock.Elapsed, Subtract(Commands(count), before)));
                await host.StopAsync(cancellationToken);
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }
        Console.WriteLine();
        Console.WriteLine($"controller (this process: store, informer, 16 workers, the engine; LocalCloud elsewhere) peak RSS over all runs: {PeakMemory.ReadPeakMegabytes(Environment.ProcessId):0} MB");
        await MeasureOneUpAsync(cli, website, cancellationToken);
        return 0;
    }

    /// <summary>Peak RSS of single stand-in processes: <c>up</c> of one spec's new stack (6 creates), then <c>version</c> for the bare start-up.</summary>
    private static async Task MeasureOneUpAsync(string cli, PulumiPipeline spec, CancellationToken cancellationToken)
    {
        const string Time = "/usr/bin/time";
        if (!File.Exists(Time))
        {
            Console.WriteLine($"(no {Time}: the per-process peak RSS is not measured)");
            return;
        }
        var work = Directory.CreateTempSubdirectory("reconciler-bench-pulumi-one-");
        try
        {
            await using var cloud = await LocalCloudProcess.StartAsync([spec.Spec.Pulumi.AccessTokenParameter], cancellationToken);
            var environment = CliEnvironment(work.FullName, cloud.Endpoint, Path.Combine(work.FullName, "invocations.txt"));
            var ups = new List<double>();
            var versions = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var name = $"one{i}";
                var workspace = LocalWorkspace.Create(new LocalWorkspaceOptions
                {
                    WorkDir = Path.Combine(work.FullName, "stacks", name),
                    EnvironmentVariables = environment,
                    PulumiCommand = new LocalPulumiCommand(new LocalPulumiCommandOptions { Command = cli }, NullLogger.Instance),
                });
                var document = spec with { Metadata = spec.Metadata with { Name = name, Uid = $"uid-{name}" } };
                await workspace.SaveProjectAsync(PulumiProgramRenderer.Render(PipelineRenderer.Render(document)).ToYaml(), cancellationToken);
                await WorkspaceStack.CreateAsync(name, workspace, cancellationToken);
                ups.Add(await PeakKilobytesAsync(Time, cli, ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", name], workspace.WorkDir, environment, cancellationToken) / 1024.0);
                versions.Add(await PeakKilobytesAsync(Time, cli, ["version"], workspace.WorkDir, environment, cancellationToken) / 1024.0);
            }
            Console.WriteLine($"one stand-in CLI process, peak RSS (from {Time}, 5 runs): `up` of one spec (6 creates) median {Median(ups):0} MB, max {ups.Max():0} MB; " +
                $"`version` (start-up only) median {Median(versions):0} MB; load average {LoadAverage()}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<long> PeakKilobytesAsync(string time, string cli, IReadOnlyList<string> args, string workDir, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(time) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-f", "%M", "-o", output, cli }.Concat(args))
            {
                start.ArgumentList.Add(arg);
            }
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pulumi {string.Join(' ', args)} failed: {await stdout}{await stderr}");
            }
            return long.Parse((await File.ReadAllLinesAsync(output, cancellationToken)).Last(l => l.Trim().Length > 0).Trim(), CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static Dictionary<string, string?> CliEnvironment(string work, Uri endpoint, string countFile)
    {
        var backend = Path.Combine(work, "backend");
        Directory.CreateDirectory(backend);
        return new Dictionary<string, string?>
        {
            ["PULUMI_BACKEND_URL"] = "file://" + backend,
            ["PULUMI_CONFIG_PASSPHRASE"] = "bench",
            ["AWS_ENDPOINT_URL"] = endpoint.ToString(),
            ["AWS_REGION"] = LocalCloudInfo.DefaultRegion,
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
            ["PULUMI_STANDIN_COUNT_FILE"] = countFile,
        };
    }

    /// <summary>CLI processes by command (<c>up</c>, <c>stack init</c>, <c>config set</c>...), from the stand-in's count file.</summary>
    private static Dictionary<string, int> Commands(string countFile) =>
        (File.Exists(countFile) ? File.ReadAllLines(countFile) : [])
            .Select(l => l.Split(' ').Skip(1).ToList())
            .Select(a => a.Count > 1 && a[0] is "stack" or "config" ? $"{a[0]} {a[1]}" : a.FirstOrDefault() ?? "")
            .GroupBy(c => c, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static Dictionary<string, int> Subtract(Dictionary<string, int> after, Dictionary<string, int> before) =>
        after.Select(c => (c.Key, Count: c.Value - before.GetValueOrDefault(c.Key))).Where(c => c.Count > 0).ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal);

    private static string Row(int concurrency, string phase, TimeSpan elapsed, Dictionary<string, int> commands) =>
        $"| {concurrency} | {phase} | {elapsed.TotalSeconds:0.0} | {commands.Values.Sum()} | " +
        $"{string.Join(", ", commands.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))} | {LoadAverage()} |";

    private static async Task WaitReadyAsync(ISpecStore store, int count, long generation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(30));
        while (true)
        {
            var page = await store.ListAsync(new ListOptions(count + 1, null), timeout.Token);
            if (page.Items.Count(d => d.Metadata.Generation >= generation && d.Status is { } s && s.ObservedGeneration == d.Metadata.Generation
                && Conditions.IsTrue(s.Conditions, ConditionTypes.Ready)) >= count)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static PulumiPipeline Sample(string file)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "specs", file);
        var result = SpecValidator.Validate(path, File.ReadAllText(path));
        return result.Document ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
