namespace Reconciler.Controller.Runtime;

/// <summary>Per-key exponential backoff with jitter (client-go's item exponential failure rate limiter): bounded, never gives up.</summary>
/// <remarks>
/// The n-th failure of a key waits <c>min(cap, base · 2ⁿ)</c>, shortened by up to <c>JitterFraction</c> of itself so
/// that keys failing together do not retry in lock step; the jitter only shortens, so the cap is never exceeded.
/// </remarks>
public sealed class ExponentialBackoff<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly double _jitterFraction;
    private readonly Random _random;

    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay, double jitterFraction = 0.1, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        ArgumentOutOfRangeException.ThrowIfNegative(jitterFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitterFraction, 1.0);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _jitterFraction = jitterFraction;
        _random = random ?? new Random();
    }

    /// <summary>Records one more failure of <paramref name="key"/> and returns how long to wait before its retry.</summary>
    public TimeSpan When(TKey key)
    {
        lock (_failures)
        {
            _failures.TryGetValue(key, out var count);
            _failures[key] = count + 1;
            var delay = Unjittered(count, _baseDelay, _maxDelay);
            var jitter = _jitterFraction * _random.NextDouble();
            return TimeSpan.FromTicks((long)(delay.Ticks * (1.0 - jitter)));
        }
    }

    /// <summary>How many failures <paramref name="key"/> has had since it was last forgotten.</summary>
    public int NumRequeues(TKey key)
    {
        lock (_failures)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Clears the failure history of <paramref name="key"/> (after a success).</summary>
    public void Forget(TKey key)
    {
        lock (_failures)
        {
            _failures.Remove(key);
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
