using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Cli;

/// <summary>
/// <c>reconciler demo</c>: the whole loop on the embedded default. SQLite in a temporary folder, LocalCloud
/// in-process, the bundled samples applied, the controller converging them; then a live project is changed
/// behind the controller's back and the drift is found and corrected.
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Keep the SQLite store in this folder (default: a temporary folder, removed at exit)." };
        var serve = new Option<bool>("--serve") { Description = "Keep the controller and LocalCloud running after the demo, until Ctrl-C." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show the controller's log lines." };
        var command = new Command("demo",
            "Run the whole loop with nothing installed: SQLite store, LocalCloud on loopback, the bundled samples, the direct engine; " +
            "wait until every spec is Ready, then change a live project behind the controller's back and watch the drift corrected. " +
            "Exit codes: 0 the demo converged; 1 it did not.")
        {
            data, serve, verbose,
        };
        command.SetAction((ParseResult parse, CancellationToken cancellationToken) =>
            RunAsync(parse.GetValue(data), parse.GetValue(serve), parse.GetValue(verbose), parse.InvocationConfiguration.Output, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo? data, bool serve, bool verbose, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var samples = SpecSet.Validate(BundledSamples.Read());
        if (!samples.IsValid)
        {
            await output.WriteLineAsync($"the bundled samples are invalid: {string.Join("; ", samples.Problems)}");
            return ExitCodes.Failure;
        }
        var documents = samples.Documents;
        var folder = data?.FullName ?? Directory.CreateTempSubdirectory("reconciler-demo-").FullName;
        Directory.CreateDirectory(folder);
        using var loggers = verbose
            ? LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; }))
            : NullLoggerFactory.Instance;
        try
        {
            var tokens = documents.Select(d => d.Spec.Pulumi.Token()).OfType<AccessTokenSpec>().ToList();
            await using var cloud = await EmbeddedCloud.StartAsync(
                tokens.Where(t => !t.IsSecret()).Select(t => t.Parameter!).Distinct().ToList(), loggers: loggers,
                secrets: tokens.Where(t => t.IsSecret()).Select(t => t.Secret!).Distinct().ToList(), cancellationToken: cancellationToken);
            var path = Path.Combine(folder, "reconciler.db");
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = path, WatchPollInterval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, loggers.CreateLogger("store"), cancellationToken);
            await output.WriteLineAsync($"● store     sqlite:{path}");
            await output.WriteLineAsync($"● cloud     LocalCloud on {cloud.Server.Endpoint} (CodeBuild, CodePipeline, Parameter Store metadata)");

            await foreach (var result in new SpecApplier(store).ApplyAsync(samples, null, cancellationToken))
            {
                var document = documents.First(d => d.Metadata.Name == result.Name);
                await output.WriteLineAsync($"● applied   pulumipipeline/{document.Metadata.Name} {result.Outcome} ({document.Spec.Stages.Count} stages{(document.Spec.Pipeline?.Enabled == true ? ", pipeline" : "")}, driftPolicy {document.Spec.DriftPolicy})");
            }

            var options = new PipelineControllerOptions { Workers = 4, BatchWindow = TimeSpan.FromMilliseconds(10) };
            await using var host = new ReconcilerHost(store, cloud.Clients.Services, new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(1) }, TimeProvider.System, loggers);
            var controller = new PipelineController(host, options);
            host.Add(controller);
            await host.StartAsync(cancellationToken);
            await host.WaitForCacheSyncAsync(cancellationToken);
            await output.WriteLineAsync($"● running   controller: engine {controller.Engine.Name}, {options.Workers} workers, resync every {host.Options.ResyncPeriod.TotalSeconds:0}s");

            var names = documents.Select(d => d.Metadata.Name).ToList();
            var ready = await WatchUntilAsync(store, names, d => SpecStatusView.Of(d).IsConverged, output, cancellationToken);
            if (ready is null)
            {
                await output.WriteLineAsync("✗ not every spec became Ready in time");
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync($"✓ every spec is Ready after {clock.Elapsed.TotalSeconds:0.0}s");
            await output.WriteLineAsync("");
            foreach (var line in Table(ready))
            {
                await output.WriteLineAsync(line);
            }
            await output.WriteLineAsync("");

            if (!await ShowDriftAsync(store, cloud, host, controller, ready, output, cancellationToken))
            {
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync($"✓ demo done in {clock.Elapsed.TotalSeconds:0.0}s");

            if (serve)
            {
                await output.WriteLineAsync($"● serving   until Ctrl-C. Point the CLI at it: --store sqlite:{path} ; AWS_ENDPOINT_URL={cloud.Server.Endpoint} AWS_REGION={cloud.Server.Options.Region}");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }
            await host.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        }
        finally
        {
            if (data is null)
            {
                TryDelete(folder);
            }
        }
    }

    private static async Task<bool> ShowDriftAsync(ISpecStore store, EmbeddedCloud cloud, ReconcilerHost host, PipelineController controller, IReadOnlyList<PulumiPipeline> ready, TextWriter output, CancellationToken cancellationToken)
    {
        var target = ready.FirstOrDefault(d => d.Spec.DriftPolicy == DriftPolicies.Correct);
        var projectName = target?.Status!.Resources.FirstOrDefault(r => r.Kind == "CodeBuildProject")?.Name;
        if (target is null || projectName is null)
        {
            await output.WriteLineAsync("(no sample with driftPolicy Correct: skipping the drift part)");
            return true;
        }
        var codeBuild = cloud.Clients.CodeBuild;
        var live = (await codeBuild.BatchGetProjectsAsync([projectName], cancellationToken)).Projects.Single();
        var was = live.Environment.ComputeType;
        var changedTo = was == "BUILD_GENERAL1_LARGE" ? "BUILD_GENERAL1_MEDIUM" : "BUILD_GENERAL1_LARGE";
        await codeBuild.UpdateProjectAsync(live.WithoutServerFields() with
        {
            Environment = live.Environment with { ComputeType = changedTo },
        }, cancellationToken);
        await output.WriteLineAsync($"● drift     someone changed CodeBuildProject/{projectName} by hand: environment.computeType {was} → {changedTo}");
        controller.ResyncNow();
        await output.WriteLineAsync($"● resync    (the periodic resync runs every {host.Options.ResyncPeriod.TotalSeconds:0}s; asking for one now)");
        var corrected = await WatchUntilAsync(store, [target.Metadata.Name],
            d => Conditions.Find(d.Status?.Conditions ?? [], ConditionTypes.Drifted) is { Reason: StatusReasons.DriftCorrected } c
                && c.LastTransitionTime >= DateTimeOffset.UtcNow.AddMinutes(-1) && SpecStatusView.Of(d).IsReady,
            output, cancellationToken);
        if (corrected is null)
        {
            await output.WriteLineAsync("✗ the drift was not corrected in time");
            return false;
        }
        var drifted = Conditions.Find(corrected[0].Status!.Conditions, ConditionTypes.Drifted)!;
        var now = (await codeBuild.BatchGetProjectsAsync([projectName], cancellationToken)).Projects.Single().Environment.ComputeType;
        await output.WriteLineAsync($"✓ drift     found and corrected: {drifted.Message}");
        await output.WriteLineAsync($"✓ live      CodeBuildProject/{projectName} environment.computeType is {now} again");
        return now == was;
    }

    /// <summary>Prints each phase change as it happens, until every spec satisfies <paramref name="done"/>.</summary>
    private static async Task<IReadOnlyList<PulumiPipeline>?> WatchUntilAsync(ISpecStore store, IReadOnlyList<string> names, Func<PulumiPipeline, bool> done, TextWriter output, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                var current = new List<PulumiPipeline>();
                foreach (var name in names)
                {
                    if (await store.GetAsync(name, timeout.Token) is { } document)
                    {
                        current.Add(document);
                        var line = SpecStatusView.Of(document).Progress;
                        if (!seen.TryGetValue(name, out var last) || last != line)
                        {
                            seen[name] = line;
                            await output.WriteLineAsync($"  {name,-12} {line}");
                        }
                    }
                }
                if (current.Count == names.Count && current.All(done))
                {
                    return current;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static IEnumerable<string> Table(IReadOnlyList<PulumiPipeline> documents)
    {
        yield return $"{"SPEC",-10} {"PHASE",-7} {"RESOURCE",-42} {"STATE",-7} ARN";
        foreach (var view in documents.Select(SpecStatusView.Of))
        {
            var first = true;
            foreach (var resource in view.Resources)
            {
                var spec = first ? view.Name : "";
                var phase = first ? view.Phase : "";
                yield return $"{spec,-10} {phase,-7} {resource.Kind + "/" + resource.Name,-42} {resource.State,-7} {resource.Arn ?? "-"}";
                first = false;
            }
            if (view.LastApplySummary is { } applied)
            {
                yield return $"{"",-10} {"",-7} last apply: {applied}";
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
