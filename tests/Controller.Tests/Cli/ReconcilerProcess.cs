using System.Diagnostics;
using Reconciler.Controller.Cli;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>Runs the real built <c>reconciler</c> executable (<c>dotnet reconciler.dll</c>) and captures its exit code and output.</summary>
internal static class ReconcilerProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static string Assembly => typeof(CommandLineApp).Assembly.Location;

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        args = args.ToList();
        var start = StartInfo(args, environment, workingDirectory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"reconciler {string.Join(' ', args)} did not exit within {timeout ?? Timeout}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How to start the executable with these arguments, the host's store and AWS selection left out of its environment.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The host's own settings must not leak into a test: every RECONCILER_* variable, the AWS endpoints and
        // credentials, the ECS metadata endpoint (replica identity) and an OTLP collector.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("RECONCILER_", StringComparison.Ordinal) || key.StartsWith("AWS_ENDPOINT_URL", StringComparison.Ordinal)
                || key is "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" or "AWS_SESSION_TOKEN" or "AWS_PROFILE" or "AWS_REGION" or "AWS_DEFAULT_REGION"
                    or "ECS_CONTAINER_METADATA_URI_V4" or "OTEL_EXPORTER_OTLP_ENDPOINT")
            {
                start.Environment.Remove(key);
            }
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return start;
    }
}

/// <summary>What one run of the executable printed and returned.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
