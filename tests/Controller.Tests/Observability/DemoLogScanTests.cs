using Reconciler.Controller.Tests.Cli;
using Reconciler.LocalCloud;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>Reads every log line of a real demo run, at the most verbose level, for what must never be logged.</summary>
public class DemoLogScanTests
{
    [Fact]
    public async Task A_demo_run_logs_calls_by_operation_status_and_request_id_and_never_a_response_body_token_buildspec_or_payload_url()
    {
        var run = await ReconcilerProcess.RunAsync(["demo", "--verbose"], new Dictionary<string, string>
        {
            ["RECONCILER_LOG_LEVEL"] = "Trace",
            // Tracing on (to a port nobody listens on) so log lines carry trace ids, as they do in production.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        });
        Assert.True(run.ExitCode == 0, run.ToString());
        var log = run.Output + run.Error;
        var lines = log.Split('\n');

        // What is logged: operation, outcome, duration, request id; Polly's events summarise the result the same way.
        var calls = lines.Where(l => l.Contains("CodeBuild.CreateProject succeeded in", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, l => Assert.Matches(@"request id [0-9a-f-]{8,}", l));
        Assert.All(calls, l => Assert.Contains("TraceId:", l, StringComparison.Ordinal));
        var polly = lines.Where(l => l.Contains("Execution attempt", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(polly);
        Assert.All(polly, l => Assert.Matches(@"Result: '(ok \(request id [0-9a-f-]+\)|\w+\.\w+ failed: \w+: [^{]*\(request id [0-9a-f-]+\))'", l));
        Assert.Contains(polly, l => l.Contains("Result: 'ok (request id ", StringComparison.Ordinal));

        // What is never logged.
        foreach (var forbidden in new[]
        {
            "webhooks?t=", "payloadUrl", "\"secret\"", "PULUMI_ACCESS_TOKEN", "pulumi stack select", "version: 0.2", "buildspec:",
            "\"projects\"", "\"pipeline\":", "{\"", "Response {", "Project {", LocalCloudInfo.TestSecretAccessKey,
        })
        {
            var hit = lines.FirstOrDefault(l => l.Contains(forbidden, StringComparison.Ordinal));
            Assert.True(hit is null, $"the log contains '{forbidden}':\n{hit}");
        }
    }
}
