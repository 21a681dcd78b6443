namespace Reconciler.Controller.Runtime;

/// <summary>
/// A token bucket over the whole queue, as client-go's <c>BucketRateLimiter</c>: <paramref name="burst"/> adds go at
/// once, then one per 1/<paramref name="perSecond"/> s. <see cref="When"/> reserves the next token and answers how
/// long its add must wait, so a fan-out of many keys reaches the workers spread out instead of all at once.
/// </summary>
public sealed class BucketRateLimiter(double perSecond, int burst, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / perSecond);
    private DateTimeOffset _full = DateTimeOffset.MinValue;

    /// <summary>How long the next add waits; each call takes one token.</summary>
    public TimeSpan When()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            // _full is when the bucket would be full again; the burst is the slack before it.
            var earliest = now - (_interval * burst);
            if (_full < earliest)
            {
                _full = earliest;
            }
            _full += _interval;
            return _full > now ? _full - now : TimeSpan.Zero;
        }
    }
}
