using System.Diagnostics;

namespace Reconciler.Bench;

/// <summary>Per-call latencies of one measured loop, with the wall time of the whole loop.</summary>
public sealed class LatencySample(int capacity)
{
    private readonly List<double> _microseconds = new(capacity);

    public TimeSpan Wall { get; private set; }

    public int Calls => _microseconds.Count;

    public double CallsPerSecond => Calls / Wall.TotalSeconds;

    public double MeanMicroseconds => _microseconds.Average();

    public double Percentile(double p) => Percentiles.Of(_microseconds.Order().ToList(), p / 100);

    /// <summary>Runs <paramref name="call"/> <paramref name="calls"/> times, sequentially, timing each call and the whole.</summary>
    public static async Task<LatencySample> MeasureAsync(int calls, Func<Task> call)
    {
        var sample = new LatencySample(calls);
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            sample._microseconds.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
        sample.Wall = wall.Elapsed;
        return sample;
    }

    /// <summary>Merges the samples of several rounds.</summary>
    public static LatencySample Merge(IEnumerable<LatencySample> samples)
    {
        var merged = new LatencySample(0);
        foreach (var sample in samples)
        {
            merged._microseconds.AddRange(sample._microseconds);
            merged.Wall += sample.Wall;
        }
        return merged;
    }
}
