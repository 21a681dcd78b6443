using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler version</c>: the build's version (also printed by <c>--version</c>).</summary>
public static class VersionInfoCommand
{
    public static string Version =>
        typeof(VersionInfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static Command Create()
    {
        var command = new Command("version", "Print the version of this build.");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        });
        return command;
    }

    /// <summary>Makes the root's <c>--version</c> print this build's version, whichever assembly started the process.</summary>
    public static void ApplyTo(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintVersionAction();
        }
    }

    // The built-in action prints the entry assembly's version, which under a test host is the host's.
    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
