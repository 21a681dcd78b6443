using System.CommandLine;
using Reconciler.Controller.Cli;

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
                ["demo", "--data", data],
                new InvocationConfiguration { Output = output, Error = error });

            var text = output.ToString();
            Assert.True(exit == 0, text + error);
            Assert.Contains("every spec is Ready", text, StringComparison.Ordinal);
            Assert.Matches(@"website\s+Ready\s+CodeBuildProject/website-preview\s+Synced\s+arn:aws:codebuild:", text);
            Assert.Matches(@"payments\s+Ready\s+CodeBuildProject/payments-preview", text);
            Assert.Matches(@"CodePipeline/payments\s+Synced\s+arn:aws:codepipeline:", text);
            Assert.Contains("drift     found and corrected", text, StringComparison.Ordinal);
            Assert.Matches(@"live      CodeBuildProject/[\w-]+ environment.computeType is BUILD_GENERAL1_SMALL again", text);
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
}
