using System.CommandLine;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.LocalCloud;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Cli;

public class ControllerCommandTests
{
    [Fact]
    public async Task Demo_converges_the_samples_then_shows_a_drift_found_and_corrected_and_exits_0()
    {
        var output = new StringWriter();

        var exit = await CommandLineApp.InvokeAsync(["demo"], new InvocationConfiguration { Output = output, Error = output });

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("✓ every spec is Ready", text, StringComparison.Ordinal);
        Assert.Contains("CodeBuildProject/website-staging", text, StringComparison.Ordinal);
        // The demo drifts the first Ready spec with driftPolicy Correct, whichever sample that is.
        Assert.Matches(@"✓ drift     found and corrected: corrected: CodeBuildProject/[\w-]+: environment\.computeType", text);
        Assert.Contains("environment.computeType is BUILD_GENERAL1_SMALL again", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_prints_each_resource_with_its_changed_fields_and_exits_0_in_sync_1_different_2_on_error()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await harness.CreateAsync(Named(Sample("website.json"), "site"));
        await harness.WaitForReadyAsync("site");
        await harness.StopAsync();
        string[] Args(string target) => ["diff", target, "--store", harness.StoreArgument, "--aws-endpoint-url", harness.Cloud.Server.Endpoint.ToString(), "--aws-region", "us-east-1"];
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
        };

        var inSync = await ReconcilerProcess.RunAsync(Args("site"), environment);
        Assert.True(inSync.ExitCode == 0, inSync.ToString());
        Assert.Contains("► CodeBuildProject/site-staging in sync", inSync.Output, StringComparison.Ordinal);

        harness.Cloud.Server.State.ChangeProject("site-staging", p => p["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        var drifted = await ReconcilerProcess.RunAsync(Args("site"), environment);
        Assert.True(drifted.ExitCode == 1, drifted.ToString());
        Assert.Contains("► CodeBuildProject/site-staging drifted\n  environment.computeType: \"BUILD_GENERAL1_LARGE\" → \"BUILD_GENERAL1_SMALL\"\n", drifted.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var missing = await ReconcilerProcess.RunAsync(Args("nosuchspec"), environment);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("no spec named 'nosuchspec'", missing.Error, StringComparison.Ordinal);
    }
}
