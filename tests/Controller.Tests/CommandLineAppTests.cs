using System.CommandLine;
using Reconciler.Controller.Cli;

namespace Reconciler.Controller.Tests;

public class CommandLineAppTests
{
    [Fact]
    public async Task Version_prints_the_assembly_version()
    {
        var output = new StringWriter();
        var config = new InvocationConfiguration { Output = output };
        var exit = await CommandLineApp.Build().Parse(["version"]).InvokeAsync(config);
        Assert.Equal(0, exit);
        Assert.StartsWith("0.1.0", output.ToString().Trim(), StringComparison.Ordinal);
    }
}
