using System.CommandLine;

namespace Reconciler.Controller.Cli;

/// <summary>The <c>reconciler</c> command tree; each command lives in its own file.</summary>
public static class CommandLineApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Reconciler: keeps AWS CI/CD pipelines for Pulumi programs in their declared state.");
        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }
        // "reconciler" alone or with an unknown command is a usage error (exit 2), like any other.
        root.Action = new UsageCheckedAction((parse, _) =>
            Task.FromResult(UsageCheckedAction.Fail(parse, ["Required command was not provided."])));
        return root;
    }

    private static IEnumerable<Command> Commands()
    {
        yield return VersionInfoCommand.Create();
        yield return ValidateCommand.Create();
    }
}
