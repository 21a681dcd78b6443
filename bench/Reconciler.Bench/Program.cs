using Reconciler.Bench;

// dotnet run -c Release --project bench/Reconciler.Bench -- <scenario>
var scenarios = new Dictionary<string, Func<string[], CancellationToken, Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["store"] = StoreScenario.RunAsync,
    ["runtime"] = RuntimeScenario.RunAsync,
    ["wire"] = WireScenario.RunAsync,
    ["controller"] = ControllerScenario.RunAsync,
    ["controller-rate"] = ControllerScenario.RunDefaultRateAsync,
    ["render"] = RenderScenario.RunAsync,
    ["sync"] = SyncScenario.RunAsync,
};
if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"usage: reconciler-bench <{string.Join('|', scenarios.Keys)}> [options]");
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await scenario(args[1..], cancel.Token);
