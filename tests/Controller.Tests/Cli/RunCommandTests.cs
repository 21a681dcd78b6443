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
    public async Task Run_converges_an_applied_spec_serves_health_corrects_drift_on_resync_and_exits_0_on_SIGTERM()
    {
        await using var cloud = await EmbeddedCloud.StartAsync([ControllerHarness.TokenParameter]);
        var apply = await ReconcilerProcess.RunAsync(["apply", "-f", RepositoryPaths.Combine("samples", "specs", "website.json"), .. StoreArguments]);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // The resync period comes from the environment: the drift below is corrected only if it reached the controller.
        var environment = AwsEnvironment;
        environment[RunCommand.ResyncVariable] = "1s";
        await using var run = RunningReconciler.Start(
            ["run", .. StoreArguments, "--aws-endpoint-url", cloud.Server.Endpoint.ToString(), "--health-port", "0", "--workers", "2"],
            environment);
        var started = await run.WaitForOutputAsync(new Regex(@"reconciler run: .*engine direct, 2 workers, resync every 00:00:01, 16 shards as .*, health on (?<address>http://127\.0\.0\.1:\d+/?)"), Patience);
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
        { "--workers 0", "", "error: --workers (RECONCILER_WORKERS) must be at least 1, not 0" },
        { "", "RECONCILER_RESYNC_PERIOD=banana", "error: RECONCILER_RESYNC_PERIOD='banana' is not valid: 'banana' is not a duration such as 30s" },
        { "--resync-period 0s", "", "error: --resync-period (RECONCILER_RESYNC_PERIOD) must be longer than zero" },
        { "--engine pulumi", "", "error: --engine 'pulumi' is not valid: engine 'pulumi' is not available; use 'direct'" },
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
            .Parse(["run", .. StoreArguments, "--aws-endpoint-url", "http://127.0.0.1:9", "--aws-region", "us-east-1", "--health-port", "0", "--shards", shards])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stopped.Token);

        Assert.True(exit == ExitCodes.Ok, output.ToString());
        Assert.Contains("reconciler run: stopped before start-up finished", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
