using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler run</c>: the controller, until SIGTERM or Ctrl-C (the ECS service's command).</summary>
public static class RunCommand
{
    public const string WorkersVariable = "RECONCILER_WORKERS";
    public const string BatchWindowVariable = "RECONCILER_BATCH_WINDOW";
    public const string ResyncVariable = "RECONCILER_RESYNC_PERIOD";
    public const string EngineVariable = "RECONCILER_ENGINE";
    public const string HealthPortVariable = "RECONCILER_HEALTH_PORT";
    public const string HealthBindVariable = "RECONCILER_HEALTH_BIND";
    public const string ShardsVariable = "RECONCILER_SHARDS";
    public const string SelectorVariable = "RECONCILER_SELECTOR";
    public const string ControllerNameVariable = "RECONCILER_CONTROLLER_NAME";
    public const string SkipTokenCheckVariable = "RECONCILER_SKIP_TOKEN_CHECK";
    public const string LogLevelVariable = "RECONCILER_LOG_LEVEL";
    public const string StatusPortVariable = "RECONCILER_STATUS_PORT";
    public const string StatusBindVariable = "RECONCILER_STATUS_BIND";
    public const string TraceUrlVariable = "RECONCILER_TRACE_URL_TEMPLATE";

    public static Command Create()
    {
        var store = new StoreOptions();
        var aws = new AwsOptions();
        var workers = new Option<int?>("--workers") { Description = $"Specs reconciled at once (default {RuntimeDefaults.Workers}). Env: {WorkersVariable}." };
        var batchWindow = new Option<string?>("--batch-window")
        {
            Description = $"How long a BatchGetProjects batch waits for more names once none come, with no other batch in flight, e.g. 50ms (default {Settings.FormatDuration(PipelineControllerOptions.DefaultBatchWindow)}; 0 to 1s). Env: {BatchWindowVariable}.",
        };
        var resync = new Option<string?>("--resync-period") { Description = $"How often every spec is checked for drift, e.g. 90s or 1h (default {Settings.FormatDuration(RuntimeDefaults.ResyncPeriod)}). Env: {ResyncVariable}." };
        var engines = EngineRegistry.Default;
        var engine = new Option<string?>("--engine")
        {
            Description = $"Converge engine: {string.Join("; ", engines.Definitions.Select(d => $"{d.Name}{(d.Name == EngineRegistry.DefaultEngine ? " (default)" : "")}, {d.Description}"))}. Env: {EngineVariable}.",
        };
        // Each engine brings its settings; run offers them all, the chosen engine checks its own.
        var engineSettings = engines.Settings
            .Select(s => (Setting: s, Option: new Option<string?>($"--{s.Name}") { Description = $"{s.Description}{(s.Default is null ? "" : $" (default {s.Default})")}. Env: {s.Variable}." }))
            .ToList();
        var healthPort = new Option<int?>("--health-port") { Description = $"Port of /healthz, /readyz and /metrics (default {WebServerOptions.DefaultPort}; 0 picks a free one). Env: {HealthPortVariable}." };
        var healthBind = new Option<string?>("--health-bind") { Description = $"Address the health port binds (default {WebServerOptions.DefaultBindAddress}; 0.0.0.0 on ECS). Env: {HealthBindVariable}." };
        var shards = new Option<int?>("--shards") { Description = $"Shards the specs are split into between replicas by leases in the store (default {RuntimeDefaults.Shards}; 0 runs alone, without leases). Env: {ShardsVariable}." };
        var selector = new Option<string?>("--selector", "-l") { Description = $"Only reconcile specs whose labels match, e.g. team=web. Env: {SelectorVariable}." };
        var controllerName = new Option<string?>("--controller-name")
        {
            Description = $"Scopes this controller's shard leases, so controllers sharing a table split only their own specs (default: scoped by --selector when one is set). Env: {ControllerNameVariable}.",
        };
        var skipTokenCheck = new Option<bool?>("--skip-token-check") { Description = $"Do not check that the Pulumi token parameter exists (for endpoints without SSM). Env: {SkipTokenCheckVariable}." };
        var status = StatusOptions.Create();
        var logLevel = new Option<string?>("--log-level") { Description = $"Trace, Debug, Information (default), Warning or Error. Env: {LogLevelVariable}." };
        var command = new Command("run",
            "Run the controller: watch the spec store, converge every spec's AWS resources, write status, correct drift. " +
            "Stops on SIGTERM or Ctrl-C after in-flight reconciles finish (30 s at most). " + ExitCodes.HelpText)
        {
            workers, batchWindow, resync, engine, healthPort, healthBind, shards, selector, controllerName, skipTokenCheck, logLevel, status.Port, status.Bind, status.TraceUrl,
        };
        foreach (var (_, option) in engineSettings)
        {
            command.Options.Add(option);
        }
        store.AddTo(command);
        aws.AddTo(command);
        var sync = new SyncSourceOptions("sync-");
        sync.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            RunSettings settings;
            try
            {
                var engineName = Settings.Parse(parse, engine, EngineVariable, name => engines.Find(name).Name, EngineRegistry.DefaultEngine);
                var definition = engines.Find(engineName);
                // Every engine's settings go to the controller: a spec's spec.engine may name any engine; the default one is checked here.
                var ownSettings = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (setting, option) in engineSettings)
                {
                    if (Settings.GetText(parse, option, setting.Variable, setting.Default) is { } value)
                    {
                        ownSettings[setting.Name] = value;
                    }
                }
                definition.Validate(ownSettings.Where(s => definition.Settings.Any(d => d.Name == s.Key)).ToDictionary(StringComparer.Ordinal));
                settings = new RunSettings(
                    new PipelineControllerOptions
                    {
                        Workers = Settings.Get(parse, workers, WorkersVariable, Settings.ParseInt, RuntimeDefaults.Workers),
                        BatchWindow = Settings.Parse(parse, batchWindow, BatchWindowVariable, Settings.ParseDuration, PipelineControllerOptions.DefaultBatchWindow),
                        Engine = engineName,
                        EngineSettings = ownSettings,
                        SkipTokenCheck = Settings.Get(parse, skipTokenCheck, SkipTokenCheckVariable, Settings.ParseBool, false),
                    },
                    new ReconcilerHostOptions
                    {
                        ResyncPeriod = Settings.Parse(parse, resync, ResyncVariable, Settings.ParseDuration, RuntimeDefaults.ResyncPeriod),
                        Selector = Settings.Parse<string?>(parse, selector, SelectorVariable, ParseSelector, null),
                        Web = new WebServerOptions(
                            Settings.Get(parse, healthPort, HealthPortVariable, Settings.ParseInt, WebServerOptions.DefaultPort),
                            Settings.Parse(parse, healthBind, HealthBindVariable, ParseAddress, WebServerOptions.DefaultBindAddress),
                            TelemetryProviders.MeterNames),
                    },
                    Settings.Get(parse, shards, ShardsVariable, Settings.ParseInt, RuntimeDefaults.Shards),
                    Settings.Parse(parse, logLevel, LogLevelVariable, Settings.ParseName<LogLevel>, LogLevel.Information),
                    status.Resolve(parse))
                {
                    Sync = sync.RepositoryOf(parse) is null ? null : sync.Resolve(parse),
                    ControllerName = Settings.GetText(parse, controllerName, ControllerNameVariable, null),
                };
                settings.Validate();
            }
            catch (FormatException e)
            {
                // Checked before the store is opened or a port bound: a bad setting changes nothing.
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            AwsClientOptions awsOptions;
            try
            {
                awsOptions = aws.Resolve(parse);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            // Resource (ECS task attributes included), OTLP traces, metrics and logs: one place, before anything logs.
            using var telemetry = await TelemetryProviders.StartAsync(cancellationToken: cancellationToken);
            using var loggers = LoggerFactory.Create(builder => telemetry.ConfigureLogging(builder, settings.LogLevel));
            AwsClients clients;
            try
            {
                clients = new AwsClients(awsOptions, loggers);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Usage;
            }
            using (clients)
            {
                try
                {
                    // The DynamoDB store watches through Streams with these clients; it falls back to polling by itself.
                    return await store.RunAsync(parse, (specs, location) => RunAsync(specs, location, clients, loggers, settings, parse, cancellationToken),
                        cancellationToken, clients.DynamoDbStreams, loggers.CreateLogger("reconciler.store"));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // SIGTERM while the store, leases or health port were still opening: no work was taken on, none to drain.
                    await parse.InvocationConfiguration.Output.WriteLineAsync("reconciler run: stopped before start-up finished");
                    return ExitCodes.Ok;
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(ISpecStore specs, StoreLocation location, AwsClients clients, ILoggerFactory loggers, RunSettings settings, ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var logger = loggers.CreateLogger("reconciler.run");
        using var http = new HttpClient();
        var leases = await LeasesAsync(location, settings.Shards, ScopedLeaseStore.ScopeOf(settings.ControllerName, settings.Host.Selector), http, loggers, cancellationToken);
        if (leases is not null && await DisagreesOnShardsAsync(leases, parse, cancellationToken))
        {
            return ExitCodes.Usage;
        }
        await using var host = new ReconcilerHost(specs, clients.Services, settings.Host, TimeProvider.System, loggers, leases);
        var controller = new PipelineController(host, settings.Controller);
        host.Add(controller);
        var statusPage = settings.Status is { } page ? new StatusPage(host, controller, page, clients.Telemetry) : null;
        if (statusPage is not null)
        {
            host.Add(statusPage);
        }
        var syncing = settings.Sync is not { } syncSettings ? null : await SyncRunnable.CreateAsync(host, location, syncSettings.Options, syncSettings.CacheDir,
            syncSettings.Interval ?? TimeSpan.FromMinutes(1), Environment.GetEnvironmentVariable(SyncSourceOptions.WebhookSecretVariable), cancellationToken,
            ScopedLeaseStore.ScopeOf(settings.ControllerName, settings.Host.Selector));
        if (syncing is not null)
        {
            host.Add(syncing);
        }
        try
        {
            await host.StartAsync(cancellationToken);
            await output.WriteLineAsync($"reconciler run: store {location}, engine {settings.Controller.Engine}, {settings.Controller.Workers} workers, " +
                $"resync every {settings.Host.ResyncPeriod}, {(leases is null ? "no leases" : $"{settings.Shards} shards as {leases.Identity}{(ScopedLeaseStore.ScopeOf(settings.ControllerName, settings.Host.Selector) is { } leaseScope ? $" in lease scope {leaseScope}" : "")}")}, health on {host.Web!.Address}" +
                (statusPage is null ? "" : $", status page on {statusPage.Address}") +
                (settings.Sync is { } synced ? $", syncing {synced.Options.Source.Id} @ {synced.Options.Source.Ref}{(syncing!.HasWebhook ? " (webhook on)" : "")}" : ""));
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl-C: stop taking work, let in-flight reconciles finish, release leases.
        }
        logger.LogInformation("Stopping");
        await host.StopAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }

    private static async Task<LeaseCoordinator?> LeasesAsync(StoreLocation location, int shards, string? scope, HttpClient http, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (shards == 0)
        {
            return null;
        }
        ILeaseStore store = location.Kind == StoreKind.Sqlite
            ? await SqliteLeaseStore.OpenAsync(location.Target, cancellationToken)
            : new DynamoDbLeaseStore(location.CreateDynamoDbClient(), location.DynamoDbOptions.LeaseTableName);
        if (scope is not null)
        {
            // Controllers with other selectors (or names) on this table keep their own shards.
            store = new ScopedLeaseStore(store, scope);
        }
        var identity = await ReplicaIdentity.ResolveAsync(http, cancellationToken: cancellationToken);
        return new LeaseCoordinator(store, identity, new LeaseOptions { Shards = shards }, TimeProvider.System, loggers.CreateLogger<LeaseCoordinator>());
    }

    /// <summary>True (the message written) when the lease table records another shard count that live replicas use.</summary>
    private static async Task<bool> DisagreesOnShardsAsync(LeaseCoordinator leases, ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            await leases.JoinAsync(cancellationToken);
            return false;
        }
        catch (ShardCountMismatchException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"error: --shards ({ShardsVariable}) is {e.Configured}, but the lease table records {e.Recorded} shards, in use by live replicas " +
                $"({string.Join(", ", e.LiveReplicas)}). Start with --shards {e.Recorded}; to change the count, stop every replica " +
                "(scale to 0) and start again once their leases have expired");
            await leases.ReleaseAllAsync(cancellationToken);
            leases.Dispose();
            return true;
        }
    }

    private static string ParseAddress(string text) => IPAddress.TryParse(text, out _)
        ? text
        : throw new FormatException($"'{text}' is not an IP address such as 127.0.0.1 or 0.0.0.0");

    private static string ParseSelector(string text)
    {
        LabelSelector.Parse(text);
        return text;
    }

    private sealed record RunSettings(PipelineControllerOptions Controller, ReconcilerHostOptions Host, int Shards, LogLevel LogLevel, StatusPageOptions? Status)
    {
        /// <summary>Names this controller's lease scope (<c>--controller-name</c>); null: scoped by the selector, if any.</summary>
        public string? ControllerName { get; init; }

        /// <summary>The config repository the run syncs, when one is configured.</summary>
        public (Reconciler.Controller.Sync.SyncOptions Options, string CacheDir, TimeSpan? Interval)? Sync { get; init; }

        /// <exception cref="FormatException">A number is out of range; the message names the option and its variable.</exception>
        public void Validate()
        {
            Require(Controller.Workers is >= 1 and <= RuntimeDefaults.MaxWorkers, $"--workers ({WorkersVariable}) must be between 1 and {RuntimeDefaults.MaxWorkers}, not {Controller.Workers}");
            Require(Controller.BatchWindow <= TimeSpan.FromSeconds(1), $"--batch-window ({BatchWindowVariable}) must be at most 1s, not {Settings.FormatDuration(Controller.BatchWindow)}");
            Require(Host.ResyncPeriod > TimeSpan.Zero, $"--resync-period ({ResyncVariable}) must be longer than zero");
            var port = Host.Web!.Port;
            Require(port is >= IPEndPoint.MinPort and <= IPEndPoint.MaxPort, $"--health-port ({HealthPortVariable}) must be between 0 and 65535, not {port}");
            Require(Shards is >= 0 and <= RuntimeDefaults.MaxShards, $"--shards ({ShardsVariable}) must be between 0 and {RuntimeDefaults.MaxShards}, not {Shards}");
        }

        private static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new FormatException(message);
            }
        }
    }
}
