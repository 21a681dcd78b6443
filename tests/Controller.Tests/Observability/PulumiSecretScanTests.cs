using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Engines.Pulumi;
using Reconciler.Controller.Engines.Pulumi.Automation;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Controller.Tests.Engines.Pulumi;
using Reconciler.LocalCloud;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>
/// The Pulumi engine end to end (stand-in CLI, LocalCloud, SQLite) with a Pulumi access token in its CLI's environment,
/// a secret config value on the stack and a secret output (each webhook's secret): every log line at Trace, every span
/// and every status document written is read for them. The scan is shown to be able to find them: each value is
/// where the CLI received or kept it.
/// </summary>
public sealed class PulumiSecretScanTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task No_access_token_secret_config_value_or_secret_output_reaches_a_log_a_span_or_a_status()
    {
        var token = "pul-" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + "0123456789";
        var configSecret = "hunter2-" + Guid.NewGuid().ToString("N");
        var root = Directory.CreateTempSubdirectory("reconciler-pulumi-scan-").FullName;
        var spans = new RecordedSpans();
        var logs = new ConcurrentQueue<string>();
        var statuses = Channel.CreateUnbounded<WatchEvent<PulumiPipeline>>();
        var written = new List<string>();
        try
        {
            using var tracing = Sdk.CreateTracerProviderBuilder().AddSource([.. TelemetryProviders.SourceNames]).AddInMemoryExporter(spans).Build();
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(logs)));
            await using var cloud = await EmbeddedCloud.StartAsync([ControllerHarness.TokenParameter], loggers: loggers);
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(root, "specs.db"), WatchPollInterval = TimeSpan.FromMilliseconds(20) });

            // The CLI is the stand-in behind a wrapper that writes down what it was given, to show the token reached it.
            var seen = Path.Combine(root, "cli-saw.txt");
            var cli = Path.Combine(root, "pulumi");
            await File.WriteAllTextAsync(cli, $"""
                #!/bin/sh
                printf '%s\n' "token=$PULUMI_ACCESS_TOKEN" >> '{seen}'
                exec '{StandInHarness.CliPath}' "$@"
                """.Replace("\r", "", StringComparison.Ordinal));
            Assert.False(OperatingSystem.IsWindows(), "the stand-in and its wrapper are POSIX programs");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var backend = Directory.CreateDirectory(Path.Combine(root, "backend")).FullName;
            var environment = new Dictionary<string, string?>
            {
                ["PULUMI_ACCESS_TOKEN"] = token,
                ["PULUMI_BACKEND_URL"] = "file://" + backend,
                ["AWS_ENDPOINT_URL"] = cloud.Server.Endpoint.ToString(),
                ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
                ["AWS_REGION"] = LocalCloudInfo.DefaultRegion,
            };
            var workDir = Path.Combine(root, "stacks");
            await using var host = new ReconcilerHost(store, cloud.Clients.Services, new ReconcilerHostOptions { ResyncPeriod = TimeSpan.FromMinutes(30) }, TimeProvider.System, loggers,
                engines: new EngineRegistry([new DirectEngineDefinition(), new PulumiEngineDefinitionWithEnvironment(environment)]));
            var controller = new PipelineController(host, new PipelineControllerOptions
            {
                Workers = 2,
                BatchWindow = TimeSpan.FromMilliseconds(5),
                RetryBaseDelay = TimeSpan.FromMilliseconds(50),
                Engine = PulumiEngine.EngineName,
                EngineSettings = new Dictionary<string, string> { [PulumiEngineDefinition.Cli.Name] = cli, [PulumiEngineDefinition.WorkDir.Name] = workDir },
            });
            host.Add(controller);
            using var stopWatching = new CancellationTokenSource();
            var watch = Task.Run(async () =>
            {
                await foreach (var change in store.WatchAsync(null, stopWatching.Token))
                {
                    await statuses.Writer.WriteAsync(change);
                }
            });
            await host.StartAsync(CancellationToken.None);
            await host.WaitForCacheSyncAsync(CancellationToken.None);

            // 1. Create: a stack, its webhooks' secrets kept by the CLI as secret outputs.
            await store.CreateAsync(ControllerHarness.Named(ControllerHarness.Sample("website.json"), "scan"), CancellationToken.None);
            await NextAsync(statuses, written, d => ControllerHarness.IsReady(d) && d.Metadata.Generation == 1);

            // 2. A secret config value on the stack, set through our Automation API with the same loggers, then a changed spec.
            var workspace = LocalWorkspace.Create(new LocalWorkspaceOptions
            {
                WorkDir = Path.Combine(workDir, "scan"),
                EnvironmentVariables = environment,
                PulumiCommand = new LocalPulumiCommand(new LocalPulumiCommandOptions { Command = cli }, loggers.CreateLogger<LocalPulumiCommand>()),
            });
            var stack = await WorkspaceStack.SelectAsync("scan", workspace, CancellationToken.None);
            await stack.SetConfigAsync("reconciler:dbPassword", configSecret, secret: true, CancellationToken.None);
            var current = (await store.GetAsync("scan", CancellationToken.None))!;
            await store.UpdateAsync(current with { Spec = current.Spec with { Build = current.Spec.Build with { TimeoutMinutes = 45 } } }, CancellationToken.None);
            await NextAsync(statuses, written, d => ControllerHarness.IsReady(d) && d.Metadata.Generation == 2);

            // The values are where the CLI got or kept them, so a scan for them could find them.
            var outputSecrets = SecretOutputs(backend);
            Assert.Equal(3, outputSecrets.Count);
            Assert.Contains($"token={token}", await File.ReadAllLinesAsync(seen));
            Assert.Contains(configSecret, StackConfigSecrets(Path.Combine(workDir, "scan")));

            // 3. Delete: destroy and stack rm.
            await store.DeleteAsync("scan", null, CancellationToken.None);
            await NextAsync(statuses, written, _ => false, deleted: true);
            await host.StopAsync(CancellationToken.None);
            await stopWatching.CancelAsync();
            await watch.ContinueWith(_ => { }, TaskScheduler.Default);
            tracing.ForceFlush();

            var logText = logs.ToList();
            var spanText = spans.Snapshot().Select(Describe).ToList();
            // What was read is the engine's work: the scan reads real output.
            Assert.Contains(logText, l => l.Contains("Pulumi", StringComparison.Ordinal) || l.Contains("pulumi", StringComparison.Ordinal));
            Assert.Contains(spanText, s => s.Contains("pulumi.urn=urn:pulumi:", StringComparison.Ordinal) && s.Contains("aws:codebuild", StringComparison.Ordinal));
            Assert.Contains(written, s => System.Text.RegularExpressions.Regex.IsMatch(s, "\"engine\":\\s*\"pulumi\""));

            foreach (var (what, secret) in new[] { ("the access token", token), ("the secret config value", configSecret) }
                .Concat(outputSecrets.Select(s => ("a webhook's secret output", s))))
            {
                Assert.True(logText.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal)) is null, $"a log line holds {what}");
                Assert.True(spanText.FirstOrDefault(s => s.Contains(secret, StringComparison.Ordinal)) is null, $"a span holds {what}");
                Assert.True(written.FirstOrDefault(s => s.Contains(secret, StringComparison.Ordinal)) is null, $"a status document holds {what}");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Reads written documents (each kept whole, as JSON) until one matches, or until the document is deleted.</summary>
    private static async Task NextAsync(Channel<WatchEvent<PulumiPipeline>> statuses, List<string> written, Func<PulumiPipeline, bool> match, bool deleted = false)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            WatchEvent<PulumiPipeline> change;
            try
            {
                change = await statuses.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching document within {Patience}; the last written:\n{written.LastOrDefault()}");
            }
            written.Add(DocumentOutput.Json(change.Object));
            if (deleted ? change.Type == WatchEventType.Deleted : match(change.Object))
            {
                return;
            }
        }
    }

    /// <summary>Every secret output the stand-in's file backend keeps (the stand-in's "ciphertext" is an encoding of the plaintext).</summary>
    private static List<string> SecretOutputs(string backend) =>
        Directory.EnumerateFiles(backend, "*.json", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}stacks{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Secrets(JsonNode.Parse(File.ReadAllText(f))))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Secrets(JsonNode? node) => node switch
    {
        JsonObject o when (string?)o["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270" && (string?)o["ciphertext"] is { } cipher =>
            [Encoding.UTF8.GetString(Convert.FromBase64String(cipher["v1:".Length..]))],
        JsonObject o => o.SelectMany(p => Secrets(p.Value)),
        JsonArray a => a.SelectMany(Secrets),
        _ => [],
    };

    private static List<string> StackConfigSecrets(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "Pulumi.scan.yaml"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("secure: v1:", StringComparison.Ordinal))
            .Select(l => Encoding.UTF8.GetString(Convert.FromBase64String(l["secure: v1:".Length..].Trim('"', '\''))))];

    private static string Describe(Activity span)
    {
        var text = new StringBuilder().Append(span.DisplayName).Append(' ').Append(span.OperationName).Append(' ').Append(span.StatusDescription);
        foreach (var (key, value) in span.TagObjects)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }
        foreach (var e in span.Events)
        {
            text.Append(' ').Append(e.Name);
            foreach (var (key, value) in e.Tags)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }
        }
        foreach (var (key, value) in span.Baggage)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }
        return text.ToString();
    }

    /// <summary>Every log entry at every level: category, message, each structured value, scopes and the exception.</summary>
    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder().Append(category).Append(' ').Append(logLevel).Append(' ').Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                }
            }
            text.Append(' ').Append(exception);
            lines.Enqueue(text.ToString());
        }
    }
}
