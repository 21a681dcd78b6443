using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Engines.Pulumi.Automation;

/// <summary>How the CLI is run: its path and how long an interrupted run may take to stop before it is killed.</summary>
public sealed record LocalPulumiCommandOptions
{
    /// <summary>The executable: a path, or a name looked up on PATH.</summary>
    public string Command { get; init; } = "pulumi";

    /// <summary>After SIGINT, how long the CLI may take to finish its current step and release its lock.</summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Runs the <c>pulumi</c> CLI the way the .NET Automation API does (<c>LocalPulumiCommand</c>): <c>--non-interactive</c>
/// appended (before <c>--</c>), with <c>--event-log</c> and <c>PULUMI_DEBUG_COMMANDS=true</c> when events are wanted, the
/// log tailed while the process runs; cancellation sends SIGINT, then kills after a grace period.
/// </summary>
public sealed partial class LocalPulumiCommand(LocalPulumiCommandOptions options, ILogger logger)
{
    private const int SigInt = 2;

    public LocalPulumiCommandOptions Options { get; } = options;

    /// <summary>The CLI's version (<c>pulumi version</c>, leading <c>v</c> removed).</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        CommandResult result;
        try
        {
            result = await RunAsync(["version"], Directory.GetCurrentDirectory(),
                new Dictionary<string, string?> { ["PULUMI_SKIP_UPDATE_CHECK"] = "true" }, onEvent: null, cancellationToken, nonInteractive: false);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PulumiCliUnavailableException($"cannot run the Pulumi CLI '{Options.Command}': {ex.Message}", ex);
        }
        var version = result.StandardOutput.Trim().TrimStart('v');
        if (result.Code != 0 || !Version.TryParse(version.Split('-', '+')[0], out var parsed))
        {
            throw new PulumiCliUnavailableException($"'{Options.Command} version' failed (exit code {result.Code}): {result.StandardError.Trim()}");
        }
        if (parsed < new Version(3, 1, 0))
        {
            throw new PulumiCliUnavailableException($"the Pulumi CLI is {version}; the Automation API needs 3.1.0 or later");
        }
        return version;
    }

    /// <summary>Runs the CLI; a non-zero exit is a classified <see cref="CommandException"/>.</summary>
    public async Task<CommandResult> RunAsync(
        IReadOnlyList<string> args, string workDir, IReadOnlyDictionary<string, string?> environment,
        Action<EngineEvent>? onEvent, CancellationToken cancellationToken, bool nonInteractive = true)
    {
        string? logFolder = null;
        var arguments = args.ToList();
        var dashDash = arguments.IndexOf("--");
        var insertAt = dashDash >= 0 ? dashDash : arguments.Count;
        var extra = new List<string>();
        if (nonInteractive && !arguments.Contains("--non-interactive"))
        {
            extra.Add("--non-interactive");
        }
        string? logFile = null;
        if (onEvent is not null)
        {
            logFolder = Directory.CreateTempSubdirectory($"automation-logs-{args[0]}-").FullName;
            logFile = Path.Combine(logFolder, "eventlog.txt");
            extra.Add("--event-log");
            extra.Add(logFile);
        }
        arguments.InsertRange(insertAt, extra);

        var start = new ProcessStartInfo(Options.Command)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        if (logFile is not null)
        {
            // --event-log exists only under this variable.
            start.Environment["PULUMI_DEBUG_COMMANDS"] = "true";
        }
        if (Path.IsPathRooted(Options.Command))
        {
            start.Environment["PATH"] = Path.GetDirectoryName(Options.Command) + Path.PathSeparator + start.Environment["PATH"];
        }

        try
        {
            using var process = Process.Start(start) ?? throw new PulumiCliUnavailableException($"could not start '{Options.Command}'");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var tailStop = new CancellationTokenSource();
            var tail = logFile is null ? Task.CompletedTask : TailAsync(logFile, onEvent!, tailStop.Token);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await InterruptAsync(process);
                throw;
            }
            finally
            {
                await tailStop.CancelAsync();
                await tail;
            }
            var result = new CommandResult(process.ExitCode, await stdout, await stderr);
            if (result.Code != 0)
            {
                throw CommandException.CreateFromResult(result);
            }
            return result;
        }
        finally
        {
            if (logFolder is not null)
            {
                Directory.Delete(logFolder, recursive: true);
            }
        }
    }

    // SIGINT lets the CLI finish its current step, save its state and release its lock; a CLI that does not stop in time is killed.
    private async Task InterruptAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        if (OperatingSystem.IsWindows() || Kill(process.Id, SigInt) != 0)
        {
            process.Kill(entireProcessTree: true);
            return;
        }
        using var grace = new CancellationTokenSource(Options.InterruptGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
            logger.LogInformation("Pulumi CLI process {Pid} stopped after SIGINT", process.Id);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Pulumi CLI process {Pid} did not stop within {Grace} of SIGINT; killing it", process.Id, Options.InterruptGrace);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    // Reads whole lines as the CLI appends them; a line without its newline yet is read on the next pass.
    // After the process exits, one last pass reads what remains.
    private static async Task TailAsync(string path, Action<EngineEvent> onEvent, CancellationToken stop)
    {
        long position = 0;
        var pending = new StringBuilder();
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(position, SeekOrigin.Begin);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var text = await reader.ReadToEndAsync(CancellationToken.None);
                position = stream.Position;
                pending.Append(text);
                var all = pending.ToString();
                var lastNewline = all.LastIndexOf('\n');
                if (lastNewline >= 0)
                {
                    foreach (var line in all[..lastNewline].Split('\n'))
                    {
                        if (Parse(line) is { } engineEvent)
                        {
                            onEvent(engineEvent);
                        }
                    }
                    pending.Clear().Append(all[(lastNewline + 1)..]);
                }
            }
            if (stopping)
            {
                return;
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop);
            }
            catch (OperationCanceledException)
            {
                // One more pass reads the lines written just before the exit.
            }
        }
    }

    private static EngineEvent? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(line, AutomationJsonContext.Default.EngineEvent);
        }
        catch (JsonException)
        {
            // Skipped, as the SDKs skip a line that is not an event.
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
