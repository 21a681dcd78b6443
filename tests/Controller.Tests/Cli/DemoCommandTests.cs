using System.CommandLine;
using Reconciler.Controller.Cli;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_converges_the_samples_then_finds_and_corrects_a_drift_and_exits_0()
    {
        var data = Path.Combine(Path.GetTempPath(), $"reconciler-demo-test-{Guid.NewGuid():N}");
        var output = new StringWriter();
        var error = new StringWriter();
        try
        {
            var exit = await CommandLineApp.InvokeAsync(
                ["demo", "--data", data, "--samples", RepositoryPaths.Samples("specs")],
                new InvocationConfiguration { Output = output, Error = error });

            var text = output.ToString();
            Assert.True(exit == 0, text + error);
            Assert.Matches(@"website\s+Ready\s+True\s+6", text);
            Assert.Matches(@"payments\s+Ready\s+True\s+5", text);
            Assert.Contains("Drifted=False DriftCorrected", text, StringComparison.Ordinal);
            Assert.Matches(@"corrected: website-\w+ timeoutInMinutes is 60 again", text);
            Assert.True(File.Exists(Path.Combine(data, "reconciler.db")), "--data keeps the store");
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Demo_with_a_missing_samples_folder_is_a_usage_error()
    {
        var error = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(["demo", "--samples", "/nonexistent/samples"], new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("/nonexistent/samples", error.ToString(), StringComparison.Ordinal);
    }
}
