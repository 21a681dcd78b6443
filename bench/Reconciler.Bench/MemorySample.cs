namespace Reconciler.Bench;

/// <summary>A process's memory at one moment of a run: resident and peak set, managed heap after the last collection, collections so far.</summary>
internal sealed record MemorySample(string Label, double ResidentMegabytes, double PeakMegabytes, double HeapMegabytes, long Gen0, long Gen1, long Gen2)
{
    public const string Header = "| moment | RSS (MB) | peak RSS (MB) | heap after last GC (MB) | GCs gen0 / gen1 / gen2 |\n|---|---|---|---|---|";

    public string Row => $"| {Label} | {ResidentMegabytes:0} | {PeakMegabytes:0} | {HeapMegabytes:0} | {Gen0:N0} / {Gen1:N0} / {Gen2:N0} |";
}
