using System.Diagnostics;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>The built <c>reconciler</c> program, run as a process from the repository root, as a user or CI would.</summary>
public class ValidateProcessTests
{
    [Fact]
    public async Task Validating_the_sample_specs_exits_0()
    {
        var run = await Reconciler("validate", "samples/specs");

        Assert.Equal(0, run.Exit);
        Assert.EndsWith("documents checked: all valid\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validating_the_invalid_samples_exits_1_and_prints_every_expected_line()
    {
        var expected = string.Concat(Directory.GetFiles(RepositoryPaths.Combine("samples", "invalid"), "*.expected")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText));

        var run = await Reconciler("validate", "samples/invalid");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith(expected, run.Output, StringComparison.Ordinal);
        Assert.Matches(@"^\d+ documents checked: 0 valid, \d+ invalid \(\d+ errors\)\n$", run.Output[expected.Length..]);
    }

    [Fact]
    public async Task A_document_piped_to_standard_input_is_validated()
    {
        var run = await Reconciler(["validate", "-"], await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "specs", "website.json")));

        Assert.Equal(0, run.Exit);
        Assert.Equal("1 document checked: all valid\n", run.Output);
    }

    private static Task<(int Exit, string Output)> Reconciler(params string[] args) => Reconciler(args, null);

    private static async Task<(int Exit, string Output)> Reconciler(string[] args, string? input)
    {
        var start = ProgramStart();
        start.WorkingDirectory = RepositoryPaths.Root;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True((await error).Length == 0 || process.ExitCode != 0, await error);
        return (process.ExitCode, await output);
    }

    /// <summary>The program's own launcher if the build produced one next to the tests, else the dotnet host running reconciler.dll.</summary>
    private static ProcessStartInfo ProgramStart()
    {
        var launcher = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "reconciler.exe" : "reconciler");
        if (File.Exists(launcher))
        {
            return new ProcessStartInfo(launcher);
        }
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reconciler.dll"));
        return start;
    }
}
