namespace Reconciler.Bench;

/// <summary>Nearest-rank percentiles over sorted samples.</summary>
internal static class Percentiles
{
    public static double Of(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
}
