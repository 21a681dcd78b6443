namespace Reconciler.Bench;

/// <summary>Nearest-rank percentiles over sorted samples.</summary>
internal static class Percentiles
{
    /// <param name="p">A fraction: 0.95 for p95.</param>
    public static double Of(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
