using Reconciler.Controller.Aws;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Tests.Tracing;

public class TraceExportTests
{
    [Fact]
    public void Without_an_OTLP_endpoint_nothing_is_exported()
    {
        Assert.Null(TraceExport.Start(_ => null));
    }

    [Fact]
    public void With_an_OTLP_endpoint_the_runtime_and_AWS_client_spans_are_recorded()
    {
        using var provider = TraceExport.Start(name => name == TraceExport.EndpointVariable ? "http://127.0.0.1:9" : null);
        Assert.NotNull(provider);
        using var source = new System.Diagnostics.ActivitySource(AwsTelemetry.ActivitySourceName);
        using var reconcile = RuntimeTracing.Source.StartActivity("reconcile PulumiPipeline");
        using var call = source.StartActivity("CodeBuild.BatchGetProjects");
        Assert.NotNull(reconcile);
        Assert.True(reconcile!.Recorded);
        Assert.NotNull(call);
        Assert.True(call!.Recorded);
    }
}
