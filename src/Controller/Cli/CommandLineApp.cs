using System.CommandLine;

namespace Reconciler.Controller.Cli;

/// <summary>The <c>reconciler</c> command tree; each command lives in its own file.</summary>
public static class CommandLineApp
{
    /// <summary>Parses and runs; a command line that does not parse exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"error: {error.Message}");
            }
            await configuration.Error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("Reconciler: keeps AWS CI/CD pipelines for Pulumi programs in their declared state. " + ExitCodes.HelpText);
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static IEnumerable<Command> Commands()
    {
        yield return VersionInfoCommand.Create();
        yield return LocalCloudCommand.Create();
        yield return StoreCommand.Create();
        yield return ApplyCommand.Create();
        yield return GetCommand.Create();
        yield return DescribeCommand.Create();
        yield return DeleteCommand.Create();
    }
}
