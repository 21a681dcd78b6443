using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Reconciler.Controller.Cli;
using Reconciler.LocalCloud;

namespace Reconciler.Bench;

/// <summary>
/// The product's own <c>reconciler run</c> in a process of its own (its runtime configuration, its garbage
/// collector settings), watched through its <c>/metrics</c> endpoint, so that its memory can be measured alone.
/// </summary>
internal sealed partial class RunProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _health;

    private RunProcess(Process process, Uri health)
    {
        _process = process;
        _health = new HttpClient { BaseAddress = health };
    }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The <c>reconciler.dll</c> to run: the one built with the bench, or <c>BENCH_RECONCILER_DLL</c>, e.g. a
    /// <c>dotnet publish</c> output, to measure a build as it ships (ReadyToRun, trimmed, ...).
    /// </summary>
    public static string Executable => Environment.GetEnvironmentVariable("BENCH_RECONCILER_DLL") is { Length: > 0 } path
        ? Path.GetFullPath(path)
        : typeof(CommandLineApp).Assembly.Location;

    /// <summary>
    /// The environments to run the process in, one measurement each: <c>BENCH_RUN_ENV</c> (none when unset), then
    /// <c>BENCH_RUN_ENV2</c> when set; each <c>NAME=value;NAME=value</c> (e.g. <c>DOTNET_GCHeapHardLimit=0x30000000</c>).
    /// </summary>
    public static IEnumerable<IReadOnlyList<(string Name, string Value)>> Environments()
    {
        yield return Parse(Environment.GetEnvironmentVariable("BENCH_RUN_ENV"));
        if (Environment.GetEnvironmentVariable("BENCH_RUN_ENV2") is { Length: > 0 } second)
        {
            yield return Parse(second);
        }
    }

    private static List<(string Name, string Value)> Parse(string? pairs) =>
        (pairs ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (pair[0], pair.Length > 1 ? pair[1] : ""))
            .ToList();

    /// <summary>Starts <c>reconciler run</c> on a SQLite store against LocalCloud at <paramref name="endpoint"/>, alone (no shards), with the health port on a free one and no client-side rate limit (as the in-process measurement).</summary>
    public static async Task<RunProcess> StartAsync(
        string databasePath, Uri endpoint, int workers, string resyncPeriod, IReadOnlyList<(string Name, string Value)> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            Executable, "run", "--store", $"sqlite:{databasePath}", "--aws-endpoint-url", endpoint.ToString(),
            "--workers", workers.ToString(CultureInfo.InvariantCulture), "--shards", "0", "--health-port", "0", "--status-port", "0", "--resync-period", resyncPeriod, "--log-level", "Warning", "--aws-rate-limit", "0",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RECONCILER_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["AWS_REGION"] = LocalCloudInfo.DefaultRegion;
        start.Environment["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (HealthAddress().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new RunProcess(process, new Uri(match.Groups["address"].Value.TrimEnd('/') + "/"));
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"reconciler run exited with {process.ExitCode} before it served health");
    }

    /// <summary>Waits until <paramref name="reconciles"/> reconciles have finished and nothing is queued or running.</summary>
    public Task WaitIdleAsync(long reconciles, CancellationToken cancellationToken) =>
        WaitAsync(m => Sum(m, "controller_runtime_reconcile_total") >= reconciles && Sum(m, "workqueue_depth") == 0 && Sum(m, "controller_runtime_active_workers") == 0,
            cancellationToken);

    /// <summary>Waits until more than <paramref name="reconciles"/> reconciles have finished (the periodic resync has begun).</summary>
    public Task WaitBeyondAsync(long reconciles, CancellationToken cancellationToken) =>
        WaitAsync(m => Sum(m, "controller_runtime_reconcile_total") > reconciles, cancellationToken);

    private async Task WaitAsync(Func<string, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (condition(await _health.GetStringAsync("metrics", cancellationToken)))
            {
                return;
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"reconciler run exited with {_process.ExitCode}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    public double PeakMegabytes() => PeakMemory.ReadPeakMegabytes(_process.Id);

    /// <summary>Reconciles finished so far.</summary>
    public async Task<long> ReconcilesAsync(CancellationToken cancellationToken) =>
        (long)Sum(await _health.GetStringAsync("metrics", cancellationToken), "controller_runtime_reconcile_total");

    /// <summary>
    /// The process's memory now: resident set (VmRSS), peak so far (VmHWM), and from its <c>/metrics</c> (the runtime's
    /// <c>System.Runtime</c> meter) the collections per generation and the heap size after the last one.
    /// </summary>
    public async Task<MemorySample> SampleMemoryAsync(string label, CancellationToken cancellationToken)
    {
        var metrics = await _health.GetStringAsync("metrics", cancellationToken);
        return new MemorySample(
            label,
            PeakMemory.ReadMegabytes(_process.Id, "VmRSS:"),
            PeakMemory.ReadPeakMegabytes(_process.Id),
            Sum(metrics, "dotnet_gc_last_collection_heap_size_bytes") / (1024 * 1024),
            (long)Labelled(metrics, "dotnet_gc_collections_total", "gc_heap_generation=\"gen0\""),
            (long)Labelled(metrics, "dotnet_gc_collections_total", "gc_heap_generation=\"gen1\""),
            (long)Labelled(metrics, "dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""));
    }

    /// <summary>SIGTERM, as ECS stops a task; answers the exit code.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-s", "TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _health.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    /// <summary>The sum of a Prometheus metric's samples over all label sets.</summary>
    private static double Sum(string exposition, string metric)
    {
        var total = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is '{' or ' ')
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/>.</summary>
    private static double Labelled(string exposition, string metric, string label)
    {
        var total = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    [GeneratedRegex(@"health on (?<address>http://127\.0\.0\.1:\d+/?)")]
    private static partial Regex HealthAddress();
}
