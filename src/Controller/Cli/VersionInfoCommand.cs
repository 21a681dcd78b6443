using System.CommandLine;
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
}
