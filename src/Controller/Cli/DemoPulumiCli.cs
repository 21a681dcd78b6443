using System.Diagnostics;
using System.Reflection;

namespace Reconciler.Controller.Cli;

/// <summary>
/// The <c>pulumi</c> executable <c>demo --engine pulumi</c> runs: a real CLI on PATH when there is one, else the stand-in
/// (<c>src/PulumiStandIn</c>, test infrastructure) built with the solution, built here when it is not yet.
/// </summary>
/// <param name="Path">The executable.</param>
/// <param name="IsStandIn">True when no <c>pulumi</c> was found on PATH and the repository's stand-in is used.</param>
public sealed record DemoPulumiCli(string Path, bool IsStandIn)
{
    private const string StandInProject = "PulumiStandIn";

    private static readonly string ExecutableName = OperatingSystem.IsWindows() ? "pulumi.exe" : "pulumi";

    /// <summary>A <c>pulumi</c> on PATH, else the stand-in; no CLI and the reason when neither can be had.</summary>
    public static async Task<(DemoPulumiCli? Cli, string? Problem)> FindAsync(TextWriter output, CancellationToken cancellationToken)
    {
        if (OnPath() is { } real)
        {
            return (new DemoPulumiCli(real, IsStandIn: false), null);
        }
        if (BuiltStandIn() is { } built)
        {
            return (new DemoPulumiCli(built, IsStandIn: true), null);
        }
        if (RepositoryRoot() is not { } root)
        {
            return (null, "no pulumi on PATH, and no repository with the stand-in CLI (src/PulumiStandIn) above this program: install the Pulumi CLI, or run the demo from a clone of the repository");
        }
        var project = System.IO.Path.Combine(root, "src", StandInProject, $"{StandInProject}.csproj");
        await output.WriteLineAsync($"● building  the stand-in pulumi CLI (dotnet build {System.IO.Path.GetRelativePath(root, project)} -c {Configuration}): no pulumi on PATH");
        var build = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", project, "-c", Configuration, "--nologo", "-v", "q" })
        {
            build.ArgumentList.Add(argument);
        }
        using var process = Process.Start(build) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || BuiltStandIn() is not { } fresh)
        {
            return (null, $"could not build the stand-in pulumi CLI (exit {process.ExitCode}): {(await stdout + await stderr).Trim()}");
        }
        return (new DemoPulumiCli(fresh, IsStandIn: true), null);
    }

    /// <summary>The first <c>pulumi</c> executable in a PATH folder, as a shell would find it.</summary>
    public static string? OnPath(string? path = null)
    {
        foreach (var folder in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(folder, ExecutableName);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// The stand-in's executable: beside this program when they were built together (the tests' output), else in the
    /// stand-in project's own output, this program's build configuration first.
    /// </summary>
    private static string? BuiltStandIn()
    {
        var beside = System.IO.Path.Combine(AppContext.BaseDirectory, ExecutableName);
        if (File.Exists(beside) && File.Exists(System.IO.Path.Combine(AppContext.BaseDirectory, "pulumi.dll")))
        {
            return beside;
        }
        if (RepositoryRoot() is not { } root)
        {
            return null;
        }
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        return new[] { Configuration, Configuration == "Release" ? "Debug" : "Release" }
            .Select(c => System.IO.Path.Combine(root, "src", StandInProject, "bin", c, framework, ExecutableName))
            .FirstOrDefault(File.Exists);
    }

    private static string Configuration =>
        typeof(DemoPulumiCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is "Release" ? "Release" : "Debug";

    /// <summary>The clone this program was built in: the folder above it holding the stand-in's project.</summary>
    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "src", StandInProject, $"{StandInProject}.csproj")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
