using System.Diagnostics;
using System.Globalization;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// Validation and rendering of typed documents, the CPU a reconcile spends before it calls AWS: what a controller
/// that keeps no rendered copies pays on every resync, and what one that starts pays once per spec.
/// </summary>
internal static class RenderScenario
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var samples = new[] { "website.json", "payments-pipeline.json" }.Select(file =>
        {
            var path = Path.Combine(RepositoryPaths.Root, "samples", "specs", file);
            return SpecValidator.Validate(path, File.ReadAllText(path)).Document ?? throw new InvalidOperationException($"{file} is invalid");
        }).ToArray();
        var documents = Enumerable.Range(0, count)
            .Select(i => samples[i % 100 == 99 ? 1 : 0] is var d ? d with { Metadata = d.Metadata with { Name = $"s{i:D5}" } } : null!)
            .ToList();
        // Warm up the JIT and the schema, then measure each step on its own.
        foreach (var document in documents.Take(200))
        {
            _ = SpecValidator.Validate(document.Metadata.Name, document);
            _ = PipelineRenderer.Render(document);
        }
        Console.WriteLine($"render bench: {count:N0} typed documents (one in a hundred with a pipeline), one thread");
        Console.WriteLine();
        Console.WriteLine("| step | total (s) | per spec (µs) | allocated per spec (KB) |");
        Console.WriteLine("|---|---|---|---|");
        Measure("validate", documents, d => SpecValidator.Validate(d.Metadata.Name, d).Count, cancellationToken);
        Measure("render", documents, d => PipelineRenderer.Render(d).Projects.Count, cancellationToken);
        return Task.FromResult(0);
    }

    private static void Measure(string step, IReadOnlyList<PulumiPipeline> documents, Func<PulumiPipeline, int> work, CancellationToken cancellationToken)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var sink = 0;
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink += work(document);
        }
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(sink);
        Console.WriteLine($"| {step} | {clock.Elapsed.TotalSeconds:0.00} | {clock.Elapsed.TotalMicroseconds / documents.Count:0} | {allocated / 1024.0 / documents.Count:0.0} |");
    }
}
