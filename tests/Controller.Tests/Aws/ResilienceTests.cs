using Microsoft.Extensions.Time.Testing;
using Polly.RateLimiting;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.Controller.Tests.Tracing;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>Retry, timeout and rate-limit behaviour against a stub that answers exact error sequences (fault injection through LocalCloud is in <see cref="LocalCloudFaultTests"/>).</summary>
public class ResilienceTests
{
    [Theory]
    [InlineData(400, "ValidationException")]
    [InlineData(400, "InvalidInputException")]
    [InlineData(400, "ResourceNotFoundException")]
    [InlineData(400, "ResourceAlreadyExistsException")]
    [InlineData(400, "ConcurrentModificationException")]
    [InlineData(400, "AccessDeniedException")]
    public async Task Client_errors_are_never_retried(int status, string type)
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Error(status, type));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));
        using var metrics = new MetricRecorder(clients.Telemetry.Meter);

        var error = await Assert.ThrowsAnyAsync<AwsApiException>(() => clients.CodePipeline.DeletePipelineAsync("website", CancellationToken.None));

        Assert.Equal(type, error.ErrorCode);
        Assert.Single(stub.Requests);
        Assert.Equal(0, metrics.Sum("aws.client.retries"));
        Assert.Equal(1, metrics.Sum("aws.client.calls", t => (string?)t["outcome"] != "success"));
    }

    [Fact]
    public async Task Server_errors_and_dropped_connections_are_retried()
    {
        var count = 0;
        await using var stub = await AwsStubServer.StartAsync(_ => Interlocked.Increment(ref count) switch
        {
            1 => StubResponse.Error(500, "InternalFailure"),
            2 => new StubResponse(503, "<html>busy</html>", "text/html"),
            3 => StubResponse.Abort,
            _ => StubResponse.Ok("""{"Parameters":[{"Name":"/t"}]}"""),
        });
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));
        using var metrics = new MetricRecorder(clients.Telemetry.Meter);

        Assert.True(await clients.Ssm.ParameterExistsAsync("/t", CancellationToken.None));

        Assert.Equal(4, stub.Requests.Count);
        Assert.Equal(3, metrics.Sum("aws.client.retries", t => (string?)t["service"] == "SSM"));
        Assert.Equal(1, metrics.Sum("aws.client.retries", t => (string?)t["error.type"] == "Http503"));
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_is_retried()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var first = new TaskCompletionSource();
        var attempts = 0;
        await using var stub = await AwsStubServer.StartAsync(async (_, aborted) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                first.SetResult();
                await RuntimeHarness.UntilCancelledAsync(aborted).ContinueWith(_ => { }, CancellationToken.None);
            }
            return StubResponse.Ok("""{"projects":["a"]}""");
        });
        var options = AwsTestClients.Options(stub.Url) with
        {
            AttemptTimeout = TimeSpan.FromSeconds(5),
            Retry = new AwsRetrySettings { MaxRetryAttempts = 2, BaseDelay = TimeSpan.Zero },
        };
        using var clients = AwsTestClients.Create(options, time);

        var call = clients.CodeBuild.ListProjectsAsync(null, CancellationToken.None);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(6));
        var page = await call.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a"], page.Items);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task The_token_bucket_limits_each_service_on_its_own()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("{}"));
        var options = AwsTestClients.Options(stub.Url) with
        {
            Retry = new AwsRetrySettings { MaxRetryAttempts = 0 },
            RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 1000, Burst = 1000, QueueLimit = 0 },
            ServiceRateLimits = new Dictionary<string, AwsRateLimitSettings>
            {
                ["CODEBUILD"] = new() { PermitsPerSecond = 0.001, Burst = 2, QueueLimit = 0 },
            },
        };
        using var clients = AwsTestClients.Create(options);

        await clients.CodeBuild.DeleteProjectAsync("a", CancellationToken.None);
        await clients.CodeBuild.DeleteProjectAsync("b", CancellationToken.None);
        await Assert.ThrowsAsync<RateLimiterRejectedException>(() => clients.CodeBuild.DeleteProjectAsync("c", CancellationToken.None));
        await clients.CodePipeline.DeletePipelineAsync("p", CancellationToken.None);

        Assert.Equal(2, stub.Count("DeleteProject"));
        Assert.Equal(1, stub.Count("DeletePipeline"));
    }

    [Fact]
    public async Task A_cancelled_call_is_not_retried()
    {
        using var cancel = new CancellationTokenSource();
        await using var stub = await AwsStubServer.StartAsync(_ =>
        {
            cancel.Cancel();
            return StubResponse.Error(500, "InternalFailure");
        });
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clients.CodeBuild.ListProjectsAsync(null, cancel.Token));

        Assert.Single(stub.Requests);
    }
}
