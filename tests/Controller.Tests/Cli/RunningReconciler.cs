using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>
/// A long-running <c>reconciler</c> child process (<c>run</c>): its output is collected as it comes so a test can wait
/// for a line, and it is stopped the way ECS stops it, with SIGTERM. Disposing kills it if it is still running.
/// </summary>
internal sealed class RunningReconciler : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _readers;
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSignal();

    private RunningReconciler(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput, _output), PumpAsync(process.StandardError, _error));
    }

    public int ProcessId => _process.Id;

    /// <summary>Everything written to stdout so far.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    public static RunningReconciler Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var process = Process.Start(ReconcilerProcess.StartInfo(args, environment, workingDirectory))
            ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        return new RunningReconciler(process);
    }

    /// <summary>Waits until stdout has a match for <paramref name="pattern"/>; fails if the process exits first or time runs out.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }
            if (pattern.Match(Output) is { Success: true } match)
            {
                return match;
            }
            if (_readers.IsCompleted)
            {
                throw new InvalidOperationException($"reconciler exited without printing /{pattern}/\n{this}");
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"reconciler did not print /{pattern}/ within {timeout}\n{this}");
            }
        }
    }

    /// <summary>Sends SIGTERM, what <c>docker stop</c> and ECS send first.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", "TERM", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start kill");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s TERM {ProcessId} exited {kill.ExitCode}");
        }
    }

    /// <summary>Waits for the process to exit and its output to be read to the end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            await _readers.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"reconciler did not exit within {timeout}\n{this}");
        }
        return _process.ExitCode;
    }

    public override string ToString() => $"stdout:\n{Output}\nstderr:\n{Error}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await _readers;
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Signal(() => into.AppendLine(line));
        }
        Signal(() => { });
    }

    private void Signal(Action append)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            append();
            changed = _changed;
            _changed = NewSignal();
        }
        changed.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
