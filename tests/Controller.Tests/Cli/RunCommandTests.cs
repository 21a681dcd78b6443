using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.LocalCloud;
using Reconciler.Model.Documents;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>
/// <c>reconciler run</c> as ECS runs it: the real executable as a child process, a SQLite store filled by
/// <c>reconciler apply</c>, LocalCloud over HTTP, health endpoints, and SIGTERM to stop it.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] WebsiteProjects = ["website-preview", "website-production", "website-staging"];

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-run-").FullName;

    private string StateDirectory => Path.Combine(_directory, "state");

    private string DatabasePath => Path.Combine(StateDirectory, "reconciler.db");

    private string[] StoreArguments => ["--store", $"sqlite:{DatabasePath}"];

    private static Dictionary<string, string> AwsEnvironment => new()
    {
        ["AWS_REGION"] = LocalCloudInfo.DefaultRegion,
        ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
    };

    [Fact]
    public async Task Run_logs_through_its_own_logger_the_malformed_items_its_store_skips()
    {
        await using var cloud = await EmbeddedCloud.StartAsync([ControllerHarness.TokenParameter]);
        var apply = await ReconcilerProcess.RunAsync(["apply", "-f", RepositoryPaths.Combine("samples", "specs", "website.json"), .. StoreArguments]);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """INSERT INTO specs (name, resource_version, document) VALUES ('mangled', 1, '{"metadata": "not an object"');""";
            await command.ExecuteNonQueryAsync();
        }

        await using var run = RunningReconciler.Start(
            ["run", .. StoreArguments, "--aws-endpoint-url", cloud.Server.Endpoint.ToString(), "--health-port", "0", "--status-port", "0", "--workers", "2"],
            AwsEnvironment);

        await run.WaitForOutputAsync(new Regex(@"reconciler\.store\[4001\] .*skipped malformed item 'mangled'"), Patience);
    }

    [Fact]
    public async Task Run_converges_an_applied_spec_serves_health_corrects_drift_on_resync_and_exits_0_on_SIGTERM()
    {
        await using var cloud = await EmbeddedCloud.StartAsync([ControllerHarness.TokenParameter]);
        var apply = await ReconcilerProcess.RunAsync(["apply", "-f", RepositoryPaths.Combine("samples", "specs", "website.json"), .. StoreArguments]);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // The resync period comes from the environment: the drift below is corrected only if it reached the controller.
        var environment = AwsEnvironment;
        environment[RunCommand.ResyncVariable] = "1s";
        await using var run = RunningReconciler.Start(
            ["run", .. StoreArguments, "--aws-endpoint-url", cloud.Server.Endpoint.ToString(), "--health-port", "0", "--status-port", "0", "--workers", "2"],
            environment);
        var started = await run.WaitForOutputAsync(new Regex(@"reconciler run: .*engine direct, 2 workers, resync every 00:00:01, 16 shards as .*, health on (?<address>http://127\.0\.0\.1:\d+/?), status page on (?<status>http://127\.0\.0\.1:\d+/?)"), Patience);
        var health = new Uri(started.Groups["address"].Value);
        Assert.NotEqual(0, health.Port);

        using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = DatabasePath });
        PulumiPipeline? website = null;
        await WaitUntilAsync(run, async () =>
        {
            website = await store.GetAsync("website", CancellationToken.None);
            return website is not null && ControllerHarness.IsReady(website) && website.Status!.ObservedGeneration == website.Metadata.Generation;
        }, "website Ready");
        Assert.Equal("Converged", ControllerHarness.Condition(website!, ConditionTypes.Ready).Reason);
        Assert.Equal(WebsiteProjects, cloud.Server.State.ProjectNames.Order(StringComparer.Ordinal));
        Assert.Empty(cloud.Server.State.PipelineNames);
        // Every stage has a trigger, so every project has its webhook.
        Assert.Equal(
            WebsiteProjects.SelectMany(name => new[] { ("CodeBuildProject", name, cloud.Server.Arns.Project(name)), ("CodeBuildWebhook", name, null) }),
            website!.Status!.Resources.Select(r => (r.Kind, r.Name, r.Arn)).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal));
        Assert.All(WebsiteProjects, name => Assert.NotNull(cloud.Server.State.GetProject(name)!["webhook"]));

        using var http = new HttpClient { BaseAddress = health };
        var healthz = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        HttpResponseMessage? readyz = null;
        await WaitUntilAsync(run, async () =>
        {
            readyz = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            return readyz.StatusCode == HttpStatusCode.OK;
        }, "/readyz 200");
        Assert.DoesNotContain("not ready", await readyz!.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The status page and its API on their own loopback port; the health port does not serve them.
        using var status = new HttpClient { BaseAddress = new Uri(started.Groups["status"].Value) };
        // The page shows the process's cache, which hears of the Ready status through the watch, after the store has it.
        var specs = "";
        await WaitUntilAsync(run, async () =>
        {
            specs = await status.GetStringAsync(new Uri("api/v1/specs", UriKind.Relative));
            return specs.Contains("\"phase\":\"Ready\"", StringComparison.Ordinal);
        }, "status API shows website Ready");
        Assert.Matches("\"name\":\"website\",.*\"phase\":\"Ready\"", specs);
        Assert.Contains("CodeBuildProject", await status.GetStringAsync(new Uri("api/v1/specs/website", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("<table id=\"specs\">", await status.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/v1/specs", UriKind.Relative))).StatusCode);

        cloud.Server.State.ChangeProject("website-staging", project => project["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        await WaitUntilAsync(run, () => Task.FromResult(
            (string?)cloud.Server.State.GetProject("website-staging")!["environment"]!["computeType"] == "BUILD_GENERAL1_SMALL"),
            "the out-of-band computeType change corrected by a resync");

        await run.TerminateAsync();
        var exit = await run.WaitForExitAsync(Patience);
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}\n{run}");
        Assert.Contains("reconciler.run[0] Stopping", run.Output, StringComparison.Ordinal);
        Assert.Contains("released 16 shard leases", run.Output, StringComparison.Ordinal);
        Assert.True(run.Error.Length == 0, run.ToString());
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "--workers 0", "", "error: --workers (RECONCILER_WORKERS) must be between 1 and 1024, not 0" },
        { "--workers 5000", "", "error: --workers (RECONCILER_WORKERS) must be between 1 and 1024, not 5000" },
        { "", "RECONCILER_SHARDS=1000", "error: --shards (RECONCILER_SHARDS) must be between 0 and 256, not 1000" },
        { "", "RECONCILER_RESYNC_PERIOD=banana", "error: RECONCILER_RESYNC_PERIOD='banana' is not valid: 'banana' is not a duration such as 30s" },
        { "--resync-period 0s", "", "error: --resync-period (RECONCILER_RESYNC_PERIOD) must be longer than zero" },
        { "--batch-window 2s", "", "error: --batch-window (RECONCILER_BATCH_WINDOW) must be at most 1s, not 2s" },
        { "", "RECONCILER_BATCH_WINDOW=soon", "error: RECONCILER_BATCH_WINDOW='soon' is not valid: 'soon' is not a duration such as 30s" },
        { "--engine terraform", "", "error: --engine 'terraform' is not valid: engine 'terraform' is not available; use 'direct' or 'pulumi'" },
        { "--engine pulumi --pulumi-cli /nonexistent/pulumi", "", "error: --pulumi-cli: the Pulumi CLI does not run (cannot run the Pulumi CLI '/nonexistent/pulumi'" },
        { "--engine pulumi --pulumi-concurrency 0", "", "error: --pulumi-concurrency: '0' is not a positive whole number" },
        { "--health-port 70000", "", "error: --health-port (RECONCILER_HEALTH_PORT) must be between 0 and 65535, not 70000" },
        { "", "RECONCILER_HEALTH_BIND=localhost:80", "error: RECONCILER_HEALTH_BIND='localhost:80' is not valid: 'localhost:80' is not an IP address" },
        { "--selector team=web,=x", "", "error: --selector 'team=web,=x' is not valid: label selector 'team=web,=x': term '=x' is not key=value" },
        { "--log-level 42", "", "error: --log-level '42' is not valid: '42' is not one of Trace, Debug, Information, Warning, Error, Critical, None" },
        { "--aws-rate-limit -1", "", "error: --aws-rate-limit '-1' is not valid: '-1' is not a number of requests per second (0 or more)" },
        { "", "RECONCILER_AWS_RATE_LIMIT=fast", "error: RECONCILER_AWS_RATE_LIMIT='fast' is not valid: 'fast' is not a number of requests per second (0 or more)" },
        { "--sync-repo ./config --sync-max-prune 150", "", "error: --sync-max-prune (RECONCILER_SYNC_MAX_PRUNE) must be a percentage from 0 to 100, not 150" },
        { "--sync-repo ./config", "RECONCILER_SYNC_INTERVAL=soon", "error: RECONCILER_SYNC_INTERVAL='soon' is not valid: 'soon' is not a duration such as 30s" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_exits_2_naming_it_before_the_store_is_opened_or_a_port_bound(string args, string variable, string message)
    {
        var environment = AwsEnvironment;
        environment[RunCommand.HealthPortVariable] = "0";
        if (variable.Split('=', 2) is [var name, var value])
        {
            environment[name] = value;
        }
        // Everything else is valid; the endpoint is never called because nothing may start.
        var result = await ReconcilerProcess.RunAsync(
            ["run", .. StoreArguments, "--aws-endpoint-url", "http://127.0.0.1:9", .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            environment);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
        Assert.False(Directory.Exists(StateDirectory), "no store may be created");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4")]
    public async Task A_stop_before_start_up_finished_exits_0_and_says_so(string shards)
    {
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();
        var output = new StringWriter();

        var exit = await CommandLineApp.Build()
            .Parse(["run", .. StoreArguments, "--aws-endpoint-url", "http://127.0.0.1:9", "--aws-region", "us-east-1", "--health-port", "0", "--status-port", "0", "--shards", shards])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stopped.Token);

        Assert.True(exit == ExitCodes.Ok, output.ToString());
        Assert.Contains("reconciler run: stopped before start-up finished", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_started_with_another_shard_count_than_the_live_ones_exits_2_naming_both_counts()
    {
        // A replica with 16 shards is live in this store: its heartbeat and the recorded count.
        Directory.CreateDirectory(StateDirectory);
        var leases = await Reconciler.Controller.Runtime.SqliteLeaseStore.OpenAsync(DatabasePath, default);
        Assert.True(await leases.TryWriteSettingAsync(new(Reconciler.Controller.Runtime.LeaseCoordinator.ShardCountSetting, 16, 1), 0, default));
        Assert.True(await leases.TryWriteAsync(new("member/replica-a", "replica-a", DateTimeOffset.UtcNow.AddMinutes(10), 1), 0, default));
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CommandLineApp.Build()
            .Parse(["run", .. StoreArguments, "--aws-endpoint-url", "http://127.0.0.1:9", "--aws-region", "us-east-1", "--health-port", "0", "--status-port", "0",
                "--skip-token-check", "--shards", "8"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.True(exit == ExitCodes.Usage, $"exit {exit}\n{output}\n{error}");
        Assert.StartsWith("error: --shards (RECONCILER_SHARDS) is 8, but the lease table records 16 shards, in use by live replicas (replica-a)", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(16, (await leases.ReadSettingAsync(Reconciler.Controller.Runtime.LeaseCoordinator.ShardCountSetting, default))?.Value);
        // It leaves no trace: no membership row, no lease.
        Assert.Equal(["member/replica-a"], (await leases.ListAsync(default)).Select(l => l.Name));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task WaitUntilAsync(RunningReconciler run, Func<Task<bool>> condition, string what)
    {
        try
        {
            await RuntimeHarness.WaitUntilAsync(condition, what, TimeSpan.FromMilliseconds(50));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{run}", e);
        }
    }
}
