namespace Reconciler.Controller.Runtime;

/// <summary>Per-key exponential backoff with jitter (client-go's item exponential failure rate limiter): bounded, never gives up.</summary>
/// <remarks>
/// The n-th failure of a key waits <c>min(cap, base · 2ⁿ)</c>, shortened by up to <c>JitterFraction</c> of itself so
/// that keys failing together do not retry in lock step; the jitter only shortens, so the cap is never exceeded.
/// </remarks>
public sealed class ExponentialBackoff<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, int> failures = [];
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;
    private readonly double jitterFraction;
    private readonly Random random;

    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay, double jitterFraction = 0.1, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        ArgumentOutOfRangeException.ThrowIfNegative(jitterFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitterFraction, 1.0);
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.jitterFraction = jitterFraction;
        this.random = random ?? new Random();
    }

    /// <summary>Records one more failure of <paramref name="key"/> and returns how long to wait before its retry.</summary>
    public TimeSpan When(TKey key)
    {
        lock (failures)
        {
            failures.TryGetValue(key, out var count);
            failures[key] = count + 1;
            var delay = Unjittered(count, baseDelay, maxDelay);
            var jitter = jitterFraction * random.NextDouble();
            return TimeSpan.FromTicks((long)(delay.Ticks * (1.0 - jitter)));
        }
    }

    /// <summary>How many failures <paramref name="key"/> has had since it was last forgotten.</summary>
    public int NumRequeues(TKey key)
    {
        lock (failures)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Clears the failure history of <paramref name="key"/> (after a success).</summary>
    public void Forget(TKey key)
    {
        lock (failures)
        {
            failures.Remove(key);
        }
    }

    /// <summary>The delay before jitter after <paramref name="previousFailures"/> failures: <c>min(cap, base · 2ⁿ)</c>.</summary>
    public static TimeSpan Unjittered(int previousFailures, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        // Past 2^40 the product overflows long ticks; the cap has long been reached by then.
        if (previousFailures >= 40)
        {
            return maxDelay;
        }
        var ticks = baseDelay.Ticks * Math.Pow(2, previousFailures);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
