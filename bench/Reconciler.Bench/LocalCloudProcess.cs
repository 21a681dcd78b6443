using System.Diagnostics;
using System.Text.Json.Nodes;
using Reconciler.Controller.Cli;
using Reconciler.LocalCloud;

namespace Reconciler.Bench;

/// <summary>
/// <c>reconciler localcloud</c> in a process of its own, so that what LocalCloud holds (tens of thousands of
/// projects as JSON) is not counted in the controller's memory; counters are read over its admin API.
/// </summary>
internal sealed class LocalCloudProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _admin;

    private LocalCloudProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        _admin = new HttpClient { BaseAddress = new Uri(endpoint, LocalCloudInfo.AdminPrefix.TrimStart('/') + "/") };
    }

    public Uri Endpoint { get; }

    /// <summary>Starts LocalCloud on a free loopback port, verifying signatures with its public test key, holding <paramref name="parameters"/>.</summary>
    public static async Task<LocalCloudProcess> StartAsync(IEnumerable<string> parameters, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CommandLineApp).Assembly.Location);
        foreach (var argument in (string[])["localcloud", "--port", "0", "--verify-keys"])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var parameter in parameters)
        {
            start.ArgumentList.Add("--parameter");
            start.ArgumentList.Add(parameter);
        }
        // The bench's own keys must not become the ones LocalCloud verifies with.
        start.Environment.Remove("AWS_ACCESS_KEY_ID");
        start.Environment.Remove("AWS_SECRET_ACCESS_KEY");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        const string Marker = "LocalCloud listening on ";
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                var url = line[Marker.Length..].Split(' ')[0];
                // Keep draining its output so a full pipe never blocks it.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new LocalCloudProcess(process, new Uri(url + "/"));
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"reconciler localcloud exited with {process.ExitCode} before it listened");
    }

    public async Task ResetCountersAsync(CancellationToken cancellationToken)
    {
        using var response = await _admin.PostAsync("reset-counters", content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Requests per operation since the last reset, e.g. <c>CodeBuild.BatchGetProjects</c>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RequestsAsync(CancellationToken cancellationToken)
    {
        var report = JsonNode.Parse(await _admin.GetStringAsync("requests", cancellationToken))!;
        return report["operations"]!.AsObject()
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => (long)kv.Value!["requests"]!, StringComparer.Ordinal);
    }

    /// <summary>LocalCloud's own peak resident set (VmHWM), in MB.</summary>
    public double PeakMegabytes() => PeakMemory.ReadPeakMegabytes(_process.Id);

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }
}
