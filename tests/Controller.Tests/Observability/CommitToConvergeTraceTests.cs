using System.CommandLine;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>One trace from <c>apply</c> through the reconcile it causes to the AWS calls that reconcile makes.</summary>
public class CommitToConvergeTraceTests
{
    [Fact]
    public async Task Apply_writes_a_traceparent_the_reconcile_links_to_and_the_AWS_calls_are_children_of_the_reconcile()
    {
        // Every test in the process shares these sources, so spans arrive from other threads while this test reads them.
        var spans = new RecordedSpans();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource([.. TelemetryProviders.SourceNames])
            .AddInMemoryExporter(spans)
            .Build();
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        var file = Path.Combine(RepositoryPaths.Root, "samples", "specs", "website.json");

        var output = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(["apply", "-f", file, "--store", harness.StoreArgument], new InvocationConfiguration { Output = output, Error = output });
        Assert.True(exit == 0, output.ToString());

        var stored = await harness.WaitForReadyAsync("website");
        var traceParent = stored.Metadata.Annotations![RuntimeAnnotations.TraceParent];
        var apply = spans.Snapshot().Single(s => s.OperationName == "apply" && s.Id == traceParent);
        Assert.Equal(ActivityKind.Client, apply.Kind);

        // The reconcile span ends just after its status write; wait for it, not for a time.
        var reconcile = await spans.WaitForAsync(s => s.OperationName == "reconcile PulumiPipeline"
            && s.Links.Any(l => l.Context.TraceId == apply.TraceId && l.Context.SpanId == apply.SpanId)
            && s.GetTagItem("reconciler.result") is not null, ControllerHarness.Patience);
        Assert.Equal("website", reconcile.GetTagItem("reconciler.object.name"));
        // Span names stay low-cardinality: the spec is an attribute, never part of the name.
        Assert.DoesNotContain("website", reconcile.OperationName, StringComparison.Ordinal);

        var children = spans.Snapshot().Where(s => s.ParentSpanId == reconcile.SpanId && s.TraceId == reconcile.TraceId).ToList();
        var creates = children.Where(s => s.OperationName == "CodeBuild.CreateProject").ToList();
        Assert.Equal(3, creates.Count);
        Assert.All(creates, s => Assert.Equal("aws-api", s.GetTagItem("rpc.system")));
        Assert.All(creates, s => Assert.NotNull(s.GetTagItem("aws.request_id")));
        Assert.Contains(children, s => s.OperationName == "CodeBuild.CreateWebhook");

        // Applying the same file again is "unchanged" although that apply has a trace of its own: nothing is written.
        output.GetStringBuilder().Clear();
        exit = await CommandLineApp.InvokeAsync(["apply", "-f", file, "--store", harness.StoreArgument], new InvocationConfiguration { Output = output, Error = output });
        Assert.Equal(0, exit);
        Assert.Contains("pulumipipeline/website unchanged", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(traceParent, (await harness.Store.GetAsync("website", CancellationToken.None))!.Metadata.Annotations![RuntimeAnnotations.TraceParent]);
    }
}
