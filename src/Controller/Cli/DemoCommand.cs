using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler demo</c>: the whole loop on the embedded default (SQLite, LocalCloud, direct engine, bundled samples).</summary>
public static class DemoCommand
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder for the SQLite store (default: a new temporary folder, removed at the end)." };
        var samples = new Option<string?>("--samples") { Description = "Folder of spec documents to apply (default: samples/specs of this repository)." };
        var serve = new Option<bool>("--serve") { Description = "Keep the controller and LocalCloud running after the demo, until Ctrl-C." };
        var command = new Command("demo",
            "Run the whole loop on one machine: an SQLite store, LocalCloud on a free loopback port, the direct engine and the bundled samples. " +
            "Applies the samples, waits until every spec is Ready, changes a live project behind the controller's back, and shows the drift found and corrected. " +
            ExitCodes.HelpText)
        {
            data, samples, serve,
        };
        command.SetAction((ParseResult parse, CancellationToken cancellationToken) =>
            RunAsync(parse.GetValue(data), parse.GetValue(samples), parse.GetValue(serve), parse.InvocationConfiguration, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? dataOption, string? samplesOption, bool serve, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var output = console.Output;
        var samplesFolder = samplesOption ?? FindSamples();
        if (samplesFolder is null || !Directory.Exists(samplesFolder))
        {
            await console.Error.WriteLineAsync($"error: no samples folder {(samplesFolder is null ? "found (samples/specs above the current folder)" : samplesFolder)}; pass --samples <dir>");
            return ExitCodes.Usage;
        }
        var documents = new List<PulumiPipeline>();
        foreach (var file in Directory.EnumerateFiles(samplesFolder, "*.json").Order(StringComparer.Ordinal))
        {
            var result = SpecValidator.Validate(Path.GetRelativePath(Environment.CurrentDirectory, file), await File.ReadAllTextAsync(file, cancellationToken));
            if (!result.IsValid)
            {
                foreach (var error in result.Errors)
                {
                    await console.Error.WriteLineAsync(error.ToString());
                }
                return ExitCodes.Failure;
            }
            documents.Add(result.Document!);
        }

        var temporary = dataOption is null;
        var dataFolder = dataOption ?? Path.Combine(Path.GetTempPath(), $"reconciler-demo-{Guid.NewGuid():N}");
        try
        {
            return await DemoAsync(documents, dataFolder, serve, output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        finally
        {
            if (temporary && Directory.Exists(dataFolder))
            {
                Directory.Delete(dataFolder, recursive: true);
            }
        }
    }

    private static async Task<int> DemoAsync(List<PulumiPipeline> documents, string dataFolder, bool serve, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; }));
        var tokenParameters = documents.Select(d => d.Spec.Pulumi.AccessTokenParameter).ToList();
        await using var cloud = await EmbeddedCloud.StartAsync(tokenParameters, loggers: loggers, cancellationToken: cancellationToken);
        await using var store = await SqliteSpecStore.OpenAsync(
            new SqliteStoreOptions { Path = Path.Combine(dataFolder, "reconciler.db"), WatchPollInterval = TimeSpan.FromMilliseconds(50) },
            cancellationToken: cancellationToken);
        await output.WriteLineAsync($"store      sqlite:{Path.Combine(dataFolder, "reconciler.db")}");
        await output.WriteLineAsync($"localcloud {cloud.Server.Endpoint} (CodeBuild, CodePipeline, Parameter Store; SigV4 verified)");

        await using var controller = new PipelineController(
            store,
            new SpecStoreObjectSource(store),
            cloud.Clients.CodeBuild,
            cloud.Clients.CodePipeline,
            cloud.Clients.Ssm,
            new PipelineControllerOptions { Workers = 4, ResyncPeriod = TimeSpan.FromMinutes(5), BatchWindow = TimeSpan.FromMilliseconds(10) },
            TimeProvider.System,
            loggers);
        await controller.StartAsync(cancellationToken);

        await output.WriteLineAsync();
        await output.WriteLineAsync($"applying {documents.Count} specs");
        foreach (var document in documents)
        {
            var stored = await store.GetAsync(document.Metadata.Name, cancellationToken) is { } existing
                ? await store.UpdateAsync(document with { Metadata = document.Metadata with { ResourceVersion = existing.Metadata.ResourceVersion } }, cancellationToken)
                : await store.CreateAsync(document, cancellationToken);
            await output.WriteLineAsync($"  {stored.Metadata.Name,-12} generation {stored.Metadata.Generation}, {document.Spec.Stages.Count} stages{(document.Spec.Pipeline?.Enabled == true ? " + pipeline" : "")}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("converging");
        var names = documents.Select(d => d.Metadata.Name).ToList();
        var ready = await WaitAsync(store, names, output, clock, d => IsReadyAtGeneration(d), cancellationToken);
        await output.WriteLineAsync();
        await WriteTableAsync(ready, output);
        if (ready.Any(d => !IsReadyAtGeneration(d)))
        {
            await output.WriteLineAsync($"not every spec became Ready within {Patience.TotalSeconds:0} s");
            return ExitCodes.Failure;
        }

        var driftOk = await ShowDriftAsync(store, cloud, controller, documents, output, clock, cancellationToken);
        var counts = cloud.Server.Counters.Snapshot();
        await output.WriteLineAsync();
        await output.WriteLineAsync($"AWS API calls: {string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Requests}"))}");
        await output.WriteLineAsync($"done in {clock.Elapsed.TotalSeconds:0.0} s");
        if (!driftOk)
        {
            return ExitCodes.Failure;
        }
        if (serve)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"serving: the controller keeps running. Point the CLI at the same store to try it:");
            await output.WriteLineAsync($"  reconciler get --store sqlite:{Path.Combine(dataFolder, "reconciler.db")}");
            await output.WriteLineAsync($"  export AWS_ENDPOINT_URL={cloud.Server.Endpoint}");
            await output.WriteLineAsync("Ctrl-C stops.");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        await controller.StopAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }

    /// <summary>Changes one live project behind the controller's back, resyncs, and shows the drift found and corrected.</summary>
    private static async Task<bool> ShowDriftAsync(
        SqliteSpecStore store, EmbeddedCloud cloud, PipelineController controller, List<PulumiPipeline> documents, TextWriter output, Stopwatch clock, CancellationToken cancellationToken)
    {
        var target = documents.FirstOrDefault(d => d.Spec.DriftPolicy == DriftPolicies.Correct && d.Spec.Pipeline?.Enabled != true) ?? documents[0];
        var stored = await store.GetAsync(target.Metadata.Name, cancellationToken);
        var projectName = stored?.Status?.Resources.FirstOrDefault(r => r.Kind == nameof(Reconciler.Model.Planning.ResourceKind.CodeBuildProject))?.Name;
        if (stored is null || projectName is null)
        {
            await output.WriteLineAsync("no project to change; skipping the drift step");
            return false;
        }
        var live = (await cloud.Clients.CodeBuild.BatchGetProjectsAsync([projectName], cancellationToken)).Projects.Single();
        var desiredTimeout = live.TimeoutInMinutes;
        var changedTimeout = desiredTimeout == 480 ? 240 : 480;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"drift: someone sets {projectName} timeoutInMinutes {desiredTimeout} → {changedTimeout} in the console");
        await cloud.Clients.CodeBuild.UpdateProjectAsync(live with { TimeoutInMinutes = changedTimeout, Webhook = null, Arn = null, Created = null, LastModified = null }, cancellationToken);
        var before = stored.Status?.LastApply?.FinishedAt;
        var resynced = controller.ResyncNow();
        await output.WriteLineAsync($"  resync: {resynced} specs re-read (the periodic resync does this every {controller.Options.ResyncPeriod.TotalMinutes:0} min)");
        var after = await WaitAsync(store, [target.Metadata.Name], TextWriter.Null, clock,
            d => d.Status?.LastApply?.FinishedAt is { } finished && finished != before && IsReadyAtGeneration(d), cancellationToken);
        var drifted = Conditions.Find(after[0].Status?.Conditions ?? [], ConditionTypes.Drifted);
        if (drifted is not null)
        {
            await output.WriteLineAsync($"  found:     Drifted={drifted.Status} {drifted.Reason}: {drifted.Message}");
        }
        var corrected = (await cloud.Clients.CodeBuild.BatchGetProjectsAsync([projectName], cancellationToken)).Projects.Single();
        var apply = after[0].Status?.LastApply;
        await output.WriteLineAsync($"  corrected: {projectName} timeoutInMinutes is {corrected.TimeoutInMinutes} again " +
            $"({apply?.Updates ?? 0} update, {apply?.DurationSeconds * 1000 ?? 0:0} ms)");
        return corrected.TimeoutInMinutes == desiredTimeout;
    }

    private static async Task<List<PulumiPipeline>> WaitAsync(
        ISpecStore store, IReadOnlyList<string> names, TextWriter output, Stopwatch clock, Func<PulumiPipeline, bool> done, CancellationToken cancellationToken)
    {
        var lastPhase = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = clock.Elapsed + Patience;
        while (true)
        {
            var current = new List<PulumiPipeline>();
            foreach (var name in names)
            {
                if (await store.GetAsync(name, cancellationToken) is { } document)
                {
                    current.Add(document);
                    var phase = Describe(document);
                    if (!lastPhase.TryGetValue(name, out var previous) || previous != phase)
                    {
                        lastPhase[name] = phase;
                        await output.WriteLineAsync($"  {clock.Elapsed.TotalSeconds,5:0.0}s  {name,-12} {phase}");
                    }
                }
            }
            if ((current.Count == names.Count && current.All(done)) || clock.Elapsed > deadline)
            {
                return current;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task WriteTableAsync(IEnumerable<PulumiPipeline> documents, TextWriter output)
    {
        await output.WriteLineAsync($"{"NAME",-12} {"PHASE",-12} {"READY",-6} {"RESOURCES",-10} LAST APPLY");
        foreach (var d in documents)
        {
            var status = d.Status;
            var apply = status?.LastApply;
            var ready = status is not null && Conditions.IsTrue(status.Conditions, ConditionTypes.Ready) ? "True" : "False";
            var applied = apply is null ? "-" : $"{apply.Engine} {apply.Result}: {apply.Creates} created, {apply.Updates} updated, {apply.Deletes} deleted in {apply.DurationSeconds:0.00} s";
            await output.WriteLineAsync($"{d.Metadata.Name,-12} {status?.Phase ?? "-",-12} {ready,-6} {status?.Resources.Count ?? 0,-10} {applied}");
            foreach (var resource in status?.Resources ?? [])
            {
                await output.WriteLineAsync($"  {resource.Kind}/{resource.Name} {resource.State} {resource.Arn}");
            }
        }
    }

    private static bool IsReadyAtGeneration(PulumiPipeline document) =>
        document.Status is { } status && status.ObservedGeneration == document.Metadata.Generation && Conditions.IsTrue(status.Conditions, ConditionTypes.Ready);

    private static string Describe(PulumiPipeline document)
    {
        if (document.Status is not { } status)
        {
            return "Pending";
        }
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready);
        return ready is null ? status.Phase ?? "Pending" : $"{status.Phase} ({ready.Reason})";
    }

    /// <summary>samples/specs above the current folder or the program's folder.</summary>
    private static string? FindSamples()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "specs");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
