using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Tests.Observability;

namespace Reconciler.Controller.Tests.Aws;

public class AwsTelemetryTests
{
    // Spans are told apart from other tests' by a region no other test uses.
    private const string Region = "eu-telemetry-1";

    [Fact]
    public async Task Each_call_is_one_client_span_with_rpc_and_aws_attributes_and_no_body()
    {
        // Other tests' clients export to this provider too, from their own threads.
        var spans = new RecordedSpans();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddAwsClientInstrumentation().AddInMemoryExporter(spans).Build();
        var attempts = 0;
        await using var stub = await AwsStubServer.StartAsync(r => r.Operation switch
        {
            "BatchGetProjects" when Interlocked.Increment(ref attempts) == 1 => StubResponse.Error(400, "ThrottlingException"),
            "BatchGetProjects" => new StubResponse(200, """{"projects":[]}""", Headers: new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-final" }),
            _ => StubResponse.Error(400, "com.amazonaws.codepipeline#PipelineNotFoundException", "no pipeline", "req-missing"),
        });
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url) with { Region = Region });

        await clients.CodeBuild.BatchGetProjectsAsync(["body-marker-project"], CancellationToken.None);
        await Assert.ThrowsAsync<AwsNotFoundException>(() => clients.CodePipeline.GetPipelineAsync("body-marker-pipeline", CancellationToken.None));
        tracing.ForceFlush();

        var mine = spans.Snapshot().Where(s => (string?)s.GetTagItem("cloud.region") == Region).ToList();
        var ok = Assert.Single(mine, s => s.DisplayName == "CodeBuild.BatchGetProjects");
        Assert.Equal(ActivityKind.Client, ok.Kind);
        Assert.Equal("aws-api", ok.GetTagItem("rpc.system"));
        Assert.Equal("CodeBuild", ok.GetTagItem("rpc.service"));
        Assert.Equal("BatchGetProjects", ok.GetTagItem("rpc.method"));
        Assert.Equal("req-final", ok.GetTagItem("aws.request_id"));
        Assert.Equal(ActivityStatusCode.Unset, ok.Status);
        Assert.Contains(ok.Events, e => e.Name == "retry");

        var failed = Assert.Single(mine, s => s.DisplayName == "CodePipeline.GetPipeline");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("PipelineNotFoundException", failed.GetTagItem("error.type"));
        Assert.Equal("req-missing", failed.GetTagItem("aws.request_id"));

        Assert.All(mine.SelectMany(s => s.TagObjects), tag => Assert.DoesNotContain("body-marker", tag.Value?.ToString() ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Our_metrics_and_Pollys_reach_an_OpenTelemetry_meter_provider()
    {
        var exported = new List<Metric>();
        using var metering = Sdk.CreateMeterProviderBuilder().AddAwsClientInstrumentation().AddInMemoryExporter(exported).Build();
        var attempts = 0;
        await using var stub = await AwsStubServer.StartAsync(_ => Interlocked.Increment(ref attempts) <= 2
            ? StubResponse.Error(400, "ThrottlingException")
            : StubResponse.Ok("""{"pipelines":[]}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        await clients.CodePipeline.ListPipelinesAsync(null, CancellationToken.None);
        metering.ForceFlush();

        Assert.Contains(exported, m => m.Name == "aws.client.calls" && m.MeterName == AwsTelemetry.MeterName);
        Assert.Contains(exported, m => m.Name == "aws.client.retries");
        // Clients that parallel tests create have meters of the same name, which the provider may export too.
        var durations = exported.Where(m => m.Name == "aws.client.duration").ToList();
        Assert.NotEmpty(durations);
        Assert.All(durations, duration =>
        {
            Assert.Equal("s", duration.Unit);
            Assert.Equal(MetricType.Histogram, duration.MetricType);
        });

        var pollyEvents = exported.Where(m => m.MeterName == AwsTelemetry.PollyMeterName && m.Name == "resilience.polly.strategy.events").ToList();
        var retriesSeen = 0L;
        foreach (var metric in pollyEvents)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }
                if ((string?)tags.GetValueOrDefault("event.name") == "OnRetry" && (string?)tags.GetValueOrDefault("operation.key") == "CodePipeline.ListPipelines")
                {
                    retriesSeen += point.GetSumLong();
                }
            }
        }
        Assert.True(retriesSeen >= 2, $"Polly reported {retriesSeen} retries of CodePipeline.ListPipelines");
    }
}
