using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Engines.Pulumi;
using Reconciler.Controller.Engines.Pulumi.Automation;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Web;
using Reconciler.LocalCloud;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Cli;

/// <summary>
/// <c>reconciler demo</c>: the whole loop on the embedded default. SQLite in a temporary folder, LocalCloud
/// in-process, the bundled samples applied, the controller converging them; then a live project is changed
/// behind the controller's back and the drift is found and corrected.
/// </summary>
public static class DemoCommand
{
    // A Pulumi stack runs a few CLI processes per spec: on a loaded machine that takes longer than the direct API calls.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Keep the SQLite store in this folder (default: a temporary folder, removed at exit)." };
        var serve = new Option<bool>("--serve") { Description = "Keep the controller and LocalCloud running after the demo, until Ctrl-C." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show the controller's log lines." };
        var engine = new Option<string>("--engine")
        {
            Description = "The converge engine: direct (API calls) or pulumi (a stack per spec, through a pulumi on PATH, else the repository's stand-in CLI).",
            DefaultValueFactory = _ => EngineRegistry.DefaultEngine,
        };
        engine.AcceptOnlyFromAmong(DirectEngine.EngineName, PulumiEngine.EngineName);
        var status = StatusOptions.Create();
        var command = new Command("demo",
            "Run the whole loop with nothing installed: SQLite store, LocalCloud on loopback, the bundled samples, the direct engine " +
            "(or --engine pulumi); wait until every spec is Ready, change a live project behind the controller's back and watch the drift " +
            "corrected, then delete the specs (unless --serve). Exit codes: 0 the demo converged; 1 it did not; 2 no Pulumi CLI for --engine pulumi.")
        {
            data, serve, verbose, engine, status.Port, status.Bind, status.TraceUrl,
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            StatusPageOptions? page;
            try
            {
                // The status page is part of --serve: a demo that exits at once has nobody to show it to.
                page = parse.GetValue(serve) ? status.Resolve(parse) : null;
            }
            catch (FormatException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            return await RunAsync(parse.GetValue(data), parse.GetValue(serve), parse.GetValue(verbose), parse.GetValue(engine)!, page, parse.InvocationConfiguration, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo? data, bool serve, bool verbose, string engine, StatusPageOptions? page, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var output = console.Output;
        var clock = Stopwatch.StartNew();
        DemoPulumiCli? pulumi = null;
        if (engine == PulumiEngine.EngineName)
        {
            (pulumi, var problem) = await DemoPulumiCli.FindAsync(output, cancellationToken);
            if (pulumi is null)
            {
                await console.Error.WriteLineAsync($"error: {problem}");
                return ExitCodes.Usage;
            }
        }
        var samples = SpecSet.Validate(BundledSamples.Read());
        if (!samples.IsValid)
        {
            await output.WriteLineAsync($"the bundled samples are invalid: {string.Join("; ", samples.Problems)}");
            return ExitCodes.Failure;
        }
        var documents = samples.Documents;
        var folder = data?.FullName ?? Directory.CreateTempSubdirectory("reconciler-demo-").FullName;
        Directory.CreateDirectory(folder);
        using var telemetry = await TelemetryProviders.StartAsync(cancellationToken: cancellationToken);
        // --verbose logs at RECONCILER_LOG_LEVEL (Information unless set), like run.
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(RunCommand.LogLevelVariable), ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
        using var loggers = verbose
            ? LoggerFactory.Create(b => telemetry.ConfigureLogging(b, level))
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
            EngineRegistry? engines = null;
            if (pulumi is not null)
            {
                var version = await new LocalPulumiCommand(new LocalPulumiCommandOptions { Command = pulumi.Path }, NullLogger.Instance).VersionAsync(cancellationToken);
                await output.WriteLineAsync(pulumi.IsStandIn
                    ? $"● pulumi    the stand-in CLI {pulumi.Path} ({version}; test infrastructure: no pulumi on PATH)"
                    : $"● pulumi    {pulumi.Path} ({version}, found on PATH)");
                engines = new EngineRegistry([new DirectEngineDefinition(), new PulumiEngineDefinitionWithEnvironment(PulumiEnvironment(folder, cloud))]);
                options = options with
                {
                    Engine = PulumiEngine.EngineName,
                    EngineSettings = new Dictionary<string, string>
                    {
                        [PulumiEngineDefinition.Cli.Name] = pulumi.Path,
                        [PulumiEngineDefinition.WorkDir.Name] = Path.Combine(folder, "pulumi-stacks"),
                        [PulumiEngineDefinition.Concurrency.Name] = PulumiEngineDefinition.Concurrency.Default!,
                    },
                };
            }
            await using var host = new ReconcilerHost(store, cloud.Clients.Services, new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(1) }, TimeProvider.System, loggers, engines: engines);
            var controller = new PipelineController(host, options);
            host.Add(controller);
            var statusPage = page is null ? null : new StatusPage(host, controller, page, cloud.Clients.Telemetry);
            if (statusPage is not null)
            {
                host.Add(statusPage);
            }
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
            if (!serve && !await ShowDeletionAsync(store, cloud, ready, output, cancellationToken))
            {
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync($"✓ demo done in {clock.Elapsed.TotalSeconds:0.0}s");

            if (serve)
            {
                await output.WriteLineAsync($"● serving   until Ctrl-C. Point the CLI at it: --store sqlite:{path} ; AWS_ENDPOINT_URL={cloud.Server.Endpoint} AWS_REGION={cloud.Server.Options.Region}");
                if (statusPage is not null)
                {
                    await output.WriteLineAsync($"● status    page on {statusPage.Address}");
                }
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
        // A spec the demo's engine converged (a sample may pin its own with spec.engine), so the drift goes through it.
        var correctable = ready.Where(d => d.Spec.DriftPolicy == DriftPolicies.Correct).ToList();
        var target = correctable.FirstOrDefault(d => d.Status?.LastApply?.Engine == controller.Engine.Name) ?? correctable.FirstOrDefault();
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

    /// <summary>
    /// What the Pulumi CLI runs with: a <c>file://</c> backend in the demo's folder (a passphrase for its secrets
    /// provider, which is no secret here), and LocalCloud's endpoint, region and public test key for the AWS provider.
    /// </summary>
    private static Dictionary<string, string?> PulumiEnvironment(string folder, EmbeddedCloud cloud)
    {
        var backend = Path.Combine(folder, "pulumi-backend");
        Directory.CreateDirectory(backend);
        return new Dictionary<string, string?>
        {
            ["PULUMI_BACKEND_URL"] = "file://" + backend,
            ["PULUMI_CONFIG_PASSPHRASE"] = "reconciler-demo",
            ["PULUMI_SKIP_UPDATE_CHECK"] = "true",
            ["AWS_ENDPOINT_URL"] = cloud.Server.Endpoint.ToString(),
            ["AWS_REGION"] = cloud.Server.Options.Region,
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
        };
    }

    /// <summary>Deletes every spec and shows what each deletion policy left in LocalCloud: nothing (Delete) or the resources without our tags (Retain).</summary>
    private static async Task<bool> ShowDeletionAsync(ISpecStore store, EmbeddedCloud cloud, IReadOnlyList<PulumiPipeline> ready, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var document in ready)
        {
            await store.DeleteAsync(document.Metadata.Name, null, cancellationToken);
        }
        await output.WriteLineAsync($"● delete    every spec deleted; the finalizer runs each one's deletionPolicy");
        if (!await WaitUntilGoneAsync(store, ready.Select(d => d.Metadata.Name).ToList(), cancellationToken))
        {
            await output.WriteLineAsync("✗ not every spec was deleted in time");
            return false;
        }
        var ok = true;
        foreach (var document in ready)
        {
            var resources = document.Status!.Resources;
            var live = resources.Select(r => LiveTagKeys(cloud, r)).OfType<IReadOnlyList<string>>().ToList();
            var tagged = live.Count(keys => keys.Any(k => k.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal)));
            if (document.Spec.DeletionPolicy == DeletionPolicies.Retain)
            {
                ok &= live.Count == resources.Count && tagged == 0;
                await output.WriteLineAsync($"{(live.Count == resources.Count && tagged == 0 ? "✓" : "✗")} gone      {document.Metadata.Name,-12} deletionPolicy Retain: {live.Count} of {resources.Count} resources left in the cloud, {tagged} still tagged as ours");
            }
            else
            {
                ok &= live.Count == 0;
                await output.WriteLineAsync($"{(live.Count == 0 ? "✓" : "✗")} gone      {document.Metadata.Name,-12} deletionPolicy Delete: {resources.Count - live.Count} of {resources.Count} resources deleted from the cloud");
            }
        }
        return ok;
    }

    /// <summary>The tag keys of a resource in LocalCloud; null when it does not exist there.</summary>
    private static IReadOnlyList<string>? LiveTagKeys(EmbeddedCloud cloud, ResourceStatus resource)
    {
        if (resource.Kind == nameof(ResourceKind.CodePipeline))
        {
            return cloud.Server.State.GetPipeline(resource.Name)?.Tags.Select(t => t.Key).ToList();
        }
        return cloud.Server.State.GetProject(resource.Name) is not { } project ? null
            : project["tags"] is JsonArray tags ? tags.Select(t => (string?)t?["key"] ?? "").ToList() : [];
    }

    private static async Task<bool> WaitUntilGoneAsync(ISpecStore store, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            foreach (var name in names)
            {
                while (await store.GetAsync(name, timeout.Token) is not null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
                }
            }
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
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
