using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Tests.Tracing;
using Reconciler.LocalCloud;
using Reconciler.LocalCloud.Faults;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>The resilience pipeline against LocalCloud's fault injection: throttling, 5xx, and real validation errors.</summary>
public class LocalCloudFaultTests
{
    private static readonly string[] Names = ["website-preview", "website-staging"];

    private static Task<LocalCloudServer> StartAsync(FaultSettings faults) =>
        LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            Faults = faults,
            Signatures = SignatureVerification.VerifyWithKeys(new Dictionary<string, string> { [LocalCloudInfo.TestAccessKeyId] = LocalCloudInfo.TestSecretAccessKey }),
        });

    private static AwsClientOptions Options(LocalCloudServer server) => new()
    {
        Region = LocalCloudInfo.DefaultRegion,
        EndpointUrl = server.Endpoint,
        Credentials = new Amazon.Runtime.BasicAWSCredentials(LocalCloudInfo.TestAccessKeyId, LocalCloudInfo.TestSecretAccessKey),
        Retry = new AwsRetrySettings { MaxRetryAttempts = 8, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(10) },
        RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 0 },
    };

    [Fact]
    public async Task Under_30_percent_injected_throttling_every_call_succeeds_and_the_retries_show_in_the_metrics()
    {
        await using var server = await StartAsync(new FaultSettings([new FaultRule("CodeBuild.BatchGetProjects", ThrottleRatio: 0.3)], Seed: 7));
        using var clients = AwsTestClients.Create(Options(server));
        using var metrics = new MetricRecorder(clients.Telemetry.Meter);

        for (var i = 0; i < 60; i++)
        {
            var result = await clients.CodeBuild.BatchGetProjectsAsync(Names, CancellationToken.None);
            Assert.Equal(Names, result.ProjectsNotFound);
        }

        var counts = server.Counters["CodeBuild.BatchGetProjects"];
        Assert.Equal(60, counts.Succeeded);
        Assert.InRange(counts.Throttled, 5, 45);
        Assert.Equal(counts.Throttled, metrics.Sum("aws.client.retries", t => (string?)t["error.type"] == "ThrottlingException" && (string?)t["operation"] == "BatchGetProjects"));
        Assert.Equal(60, metrics.Sum("aws.client.calls", t => (string?)t["outcome"] == "success"));
        Assert.Equal(0, metrics.Sum("aws.client.calls", t => (string?)t["outcome"] != "success"));
    }

    [Fact]
    public async Task Injected_server_errors_are_retried_until_they_pass()
    {
        await using var server = await StartAsync(new FaultSettings([new FaultRule("CodePipeline.*", ErrorRatio: 0.4)], Seed: 3));
        // At 40% 5xx the breaker would rightly open; this test is about the retry alone.
        using var clients = AwsTestClients.Create(Options(server) with { CircuitBreaker = new AwsCircuitBreakerSettings { Enabled = false } });
        using var metrics = new MetricRecorder(clients.Telemetry.Meter);

        for (var i = 0; i < 20; i++)
        {
            await clients.CodePipeline.ListPipelinesAsync(null, CancellationToken.None);
        }

        var counts = server.Counters["CodePipeline.ListPipelines"];
        Assert.Equal(20, counts.Succeeded);
        Assert.True(counts.ServerErrors > 0);
        Assert.Equal(counts.ServerErrors, metrics.Sum("aws.client.retries", t => (string?)t["service"] == "CodePipeline"));
    }

    [Fact]
    public async Task A_validation_error_is_never_retried_even_while_throttling_is_injected_elsewhere()
    {
        await using var server = await StartAsync(new FaultSettings([new FaultRule("CodeBuild.BatchGetProjects", ThrottleRatio: 0.5)]));
        using var clients = AwsTestClients.Create(Options(server));
        using var metrics = new MetricRecorder(clients.Telemetry.Meter);

        await Assert.ThrowsAsync<AwsValidationException>(() => clients.CodeBuild.CreateProjectAsync(AwsSamples.Project("-invalid name-"), CancellationToken.None));

        var counts = server.Counters["CodeBuild.CreateProject"];
        Assert.Equal((1, 1), (counts.Requests, counts.Failed));
        Assert.Equal(0, metrics.Sum("aws.client.retries"));
        Assert.Equal(1, metrics.Sum("aws.client.calls", t => (string?)t["outcome"] == "validation"));
    }

    [Fact]
    public async Task The_circuit_opens_under_injected_5xx_fails_fast_and_recovers_after_the_break()
    {
        await using var server = await StartAsync(FaultSettings.Everywhere(errorRatio: 1));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options(server) with
        {
            Retry = new AwsRetrySettings { MaxRetryAttempts = 0 },
            CircuitBreaker = new AwsCircuitBreakerSettings { FailureRatio = 0.5, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(10) },
        };
        using var clients = AwsTestClients.Create(options, time);
        using var metrics = new MetricRecorder(clients.Telemetry.Meter);
        Task List() => clients.CodePipeline.ListPipelinesAsync(null, CancellationToken.None);

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<AwsServiceErrorException>(List);
        }
        await Assert.ThrowsAsync<BrokenCircuitException>(List);
        Assert.Equal(4, server.Counters["CodePipeline.ListPipelines"].Requests);
        Assert.Equal(1, metrics.Sum("aws.client.calls", t => (string?)t["outcome"] == "circuit_open"));

        // CodeBuild has its own circuit: its call still reaches the endpoint.
        await Assert.ThrowsAsync<AwsServiceErrorException>(() => clients.CodeBuild.ListProjectsAsync(null, CancellationToken.None));
        Assert.Equal(1, server.Counters["CodeBuild.ListProjects"].Requests);

        server.SetFaults(FaultSettings.None);
        await Assert.ThrowsAsync<BrokenCircuitException>(List);
        time.Advance(TimeSpan.FromSeconds(11));
        await List();
        await List();
        Assert.Equal(6, server.Counters["CodePipeline.ListPipelines"].Requests);
        Assert.Equal(2, metrics.Sum("aws.client.calls", t => (string?)t["outcome"] == "success" && (string?)t["service"] == "CodePipeline"));
    }
}
