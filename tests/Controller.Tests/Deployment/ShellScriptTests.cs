using System.Diagnostics;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>Every shell script in the repository passes <c>shellcheck</c> (Debian's package; test.sh installs it).</summary>
public sealed class ShellScriptTests
{
    [Fact]
    public async Task Every_shell_script_in_the_repository_is_shellcheck_clean()
    {
        var scripts = ShellScripts().ToList();
        Assert.Contains("test.sh", scripts);
        Assert.Contains(".ci/run", scripts);

        var start = new ProcessStartInfo("shellcheck") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--format=gcc");
        foreach (var script in scripts)
        {
            start.ArgumentList.Add(script);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("shellcheck did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"shellcheck {string.Join(' ', scripts)}:\n{await output}{await error}");
    }

    // Files named *.sh, or whose first line is a shell's #!, outside build output, dependencies and git's own files.
    private static IEnumerable<string> ShellScripts()
    {
        var skipped = new[] { ".git", "bin", "obj", "node_modules", "TestResults" };
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None }))
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => skipped.Contains(part)))
            {
                continue;
            }
            if (relative.EndsWith(".sh", StringComparison.Ordinal) || IsShellShebang(file))
            {
                yield return relative;
            }
        }
    }

    private static bool IsShellShebang(string file)
    {
        using var reader = new StreamReader(file);
        var first = reader.ReadLine() ?? "";
        return first.StartsWith("#!", StringComparison.Ordinal) && (first.EndsWith("sh", StringComparison.Ordinal) || first.Contains("bash", StringComparison.Ordinal) || first.Contains("/sh ", StringComparison.Ordinal));
    }
}
