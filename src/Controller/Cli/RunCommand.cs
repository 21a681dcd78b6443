using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler run</c>: the controller, until SIGTERM or Ctrl-C (the ECS service's command).</summary>
public static class RunCommand
{
    public const string WorkersVariable = "RECONCILER_WORKERS";
    public const string ResyncVariable = "RECONCILER_RESYNC_PERIOD";
    public const string EngineVariable = "RECONCILER_ENGINE";
    public const string HealthPortVariable = "RECONCILER_HEALTH_PORT";
    public const string HealthBindVariable = "RECONCILER_HEALTH_BIND";
    public const string ShardsVariable = "RECONCILER_SHARDS";
    public const string SelectorVariable = "RECONCILER_SELECTOR";
    public const string SkipTokenCheckVariable = "RECONCILER_SKIP_TOKEN_CHECK";
    public const string LogLevelVariable = "RECONCILER_LOG_LEVEL";

    public static Command Create()
    {
        var store = new StoreOptions();
        var aws = new AwsOptions();
        var workers = new Option<int?>("--workers") { Description = $"Specs reconciled at once (default 16). Env: {WorkersVariable}." };
        var resync = new Option<string?>("--resync-period") { Description = $"How often every spec is checked for drift, e.g. 5m (default). Env: {ResyncVariable}." };
        var engine = new Option<string?>("--engine") { Description = $"Converge engine: direct (default). Env: {EngineVariable}." };
        var healthPort = new Option<int?>("--health-port") { Description = $"Port of /healthz, /readyz and /metrics (default 8081; 0 picks a free one). Env: {HealthPortVariable}." };
        var healthBind = new Option<string?>("--health-bind") { Description = $"Address the health port binds (default 127.0.0.1; 0.0.0.0 on ECS). Env: {HealthBindVariable}." };
        var shards = new Option<int?>("--shards") { Description = $"Shards the specs are split into between replicas by leases in the store (default 16; 0 runs alone, without leases). Env: {ShardsVariable}." };
        var selector = new Option<string?>("--selector", "-l") { Description = $"Only reconcile specs whose labels match, e.g. team=web. Env: {SelectorVariable}." };
        var skipTokenCheck = new Option<bool?>("--skip-token-check") { Description = $"Do not check that the Pulumi token parameter exists (for endpoints without SSM). Env: {SkipTokenCheckVariable}." };
        var logLevel = new Option<string?>("--log-level") { Description = $"Trace, Debug, Information (default), Warning or Error. Env: {LogLevelVariable}." };
        var command = new Command("run",
            "Run the controller: watch the spec store, converge every spec's AWS resources, write status, correct drift. " +
            "Stops on SIGTERM or Ctrl-C after in-flight reconciles finish (30 s at most). " + ExitCodes.HelpText)
        {
            workers, resync, engine, healthPort, healthBind, shards, selector, skipTokenCheck, logLevel,
        };
        store.AddTo(command);
        aws.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            RunSettings settings;
            try
            {
                settings = new RunSettings(
                    new PipelineControllerOptions
                    {
                        Workers = Settings.Get(parse, workers, WorkersVariable, Settings.ParseInt, 16),
                        ResyncPeriod = Settings.Parse(parse, resync, ResyncVariable, Settings.ParseDuration, TimeSpan.FromMinutes(5)),
                        Engine = Settings.Parse(parse, engine, EngineVariable, ParseEngine, DirectEngine.EngineName),
                        SkipTokenCheck = Settings.Get(parse, skipTokenCheck, SkipTokenCheckVariable, Settings.ParseBool, false),
                    },
                    Settings.Get(parse, healthPort, HealthPortVariable, Settings.ParseInt, 8081),
                    Settings.Parse(parse, healthBind, HealthBindVariable, ParseAddress, "127.0.0.1"),
                    Settings.Get(parse, shards, ShardsVariable, Settings.ParseInt, 16),
                    Settings.Parse<string?>(parse, selector, SelectorVariable, ParseSelector, null),
                    Settings.Parse(parse, logLevel, LogLevelVariable, Settings.ParseName<LogLevel>, LogLevel.Information));
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
                        cancellationToken, clients.DynamoDbStreams);
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
        var leases = await LeasesAsync(location, settings.Shards, http, loggers, cancellationToken);
        await using var controller = new PipelineController(
            specs,
            new SpecStoreObjectSource(specs, settings.Selector),
            clients.CodeBuild,
            clients.CodePipeline,
            clients.Ssm,
            settings.Controller,
            TimeProvider.System,
            loggers,
            leases: leases);
        await using var health = await HealthServer.StartAsync(
            new HealthServerOptions(settings.HealthPort, settings.HealthBind, TelemetryProviders.MeterNames),
            [controller.Readiness],
            loggers,
            cancellationToken);
        await output.WriteLineAsync($"reconciler run: store {location}, engine {settings.Controller.Engine}, {settings.Controller.Workers} workers, " +
            $"resync every {settings.Controller.ResyncPeriod}, {(leases is null ? "no leases" : $"{settings.Shards} shards as {leases.Identity}")}, health on {health.Address}");
        try
        {
            await controller.StartAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or Ctrl-C: stop taking work, let in-flight reconciles finish, release leases.
        }
        logger.LogInformation("Stopping");
        await controller.StopAsync(CancellationToken.None);
        leases?.Dispose();
        return ExitCodes.Ok;
    }

    private static async Task<LeaseCoordinator?> LeasesAsync(StoreLocation location, int shards, HttpClient http, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (shards == 0)
        {
            return null;
        }
        ILeaseStore store = location.Kind == StoreKind.Sqlite
            ? await SqliteLeaseStore.OpenAsync(location.Target, cancellationToken)
            : new DynamoDbLeaseStore(location.CreateDynamoDbClient(), location.DynamoDbOptions.LeaseTableName);
        var identity = await ReplicaIdentity.ResolveAsync(http, cancellationToken: cancellationToken);
        return new LeaseCoordinator(store, identity, new LeaseOptions(shards), TimeProvider.System, loggers.CreateLogger<LeaseCoordinator>());
    }

    private static string ParseEngine(string text) => PipelineController.EngineNames.Contains(text)
        ? text
        : throw new FormatException(PipelineController.UnknownEngine(text));

    private static string ParseAddress(string text) => IPAddress.TryParse(text, out _)
        ? text
        : throw new FormatException($"'{text}' is not an IP address such as 127.0.0.1 or 0.0.0.0");

    private static string ParseSelector(string text)
    {
        LabelSelector.Parse(text);
        return text;
    }

    private sealed record RunSettings(PipelineControllerOptions Controller, int HealthPort, string HealthBind, int Shards, string? Selector, LogLevel LogLevel)
    {
        /// <exception cref="FormatException">A number is out of range; the message names the option and its variable.</exception>
        public void Validate()
        {
            Require(Controller.Workers >= 1, $"--workers ({WorkersVariable}) must be at least 1, not {Controller.Workers}");
            Require(Controller.ResyncPeriod > TimeSpan.Zero, $"--resync-period ({ResyncVariable}) must be longer than zero");
            Require(HealthPort is >= IPEndPoint.MinPort and <= IPEndPoint.MaxPort, $"--health-port ({HealthPortVariable}) must be between 0 and 65535, not {HealthPort}");
            Require(Shards >= 0, $"--shards ({ShardsVariable}) must be 0 or more, not {Shards}");
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
