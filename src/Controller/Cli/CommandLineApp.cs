using System.CommandLine;
using System.CommandLine.Invocation;

namespace Reconciler.Controller.Cli;

/// <summary>The <c>reconciler</c> command tree; each command lives in its own file.</summary>
public static class CommandLineApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Reconciler: keeps AWS CI/CD pipelines for Pulumi programs in their declared state. " + ExitCodes.HelpText);
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }
        VersionInfoCommand.ApplyTo(root);
        // "reconciler" alone or with an unknown command is a usage error, also when parsed and invoked directly.
        root.Action = new UsageCheckedAction((parse, _) =>
            Task.FromResult(UsageCheckedAction.Fail(parse, ["Required command was not provided."])));
        return root;
    }

    /// <summary>Parses and runs a command line; a usage error prints the error and help and exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parse = Build().Parse(args);
        var exit = await parse.InvokeAsync(configuration, cancellationToken);
        // System.CommandLine reports parse errors with exit code 1, which our commands reserve for invalid input.
        return parse.Action is ParseErrorAction ? ExitCodes.Usage : exit;
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
        yield return RenderCommand.Create();
        yield return RunCommand.Create();
        yield return DemoCommand.Create();
        yield return DiffCommand.Create();
        yield return SyncCommand.Create();
        yield return ValidateCommand.Create();
    }
}
