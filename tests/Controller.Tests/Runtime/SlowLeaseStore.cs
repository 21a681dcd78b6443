using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>
/// A real lease store behind a slow link: while <see cref="Delay"/> is set, every write of a held shard lease (a renewal)
/// waits that long on the fake clock before it reaches the store. Each waiting write is announced on <see cref="Waiting"/>,
/// so a test advances the clock only once the writes it expects are in flight.
/// </summary>
internal sealed class SlowLeaseStore(ILeaseStore inner, FakeTimeProvider time) : ILeaseStore
{
    private int _inFlight;
    private int _mostInFlight;

    /// <summary>How long a renewal takes; zero for a fast store.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>One item per renewal that started waiting: the lease's name.</summary>
    public ConcurrentQueue<string> Started { get; } = new();

    public SemaphoreSlim Waiting { get; } = new(0);

    /// <summary>The most renewals in flight at one time.</summary>
    public int MostInFlight => Volatile.Read(ref _mostInFlight);

    /// <summary>Waits until <paramref name="count"/> more renewals are in flight (30 s at most, then the test fails).</summary>
    public async Task WaitForRenewalsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Waiting.WaitAsync(TimeSpan.FromSeconds(30)), $"only {i} of {count} renewals were sent at once");
        }
    }

    public Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<bool> TryWriteAsync(Lease lease, long expectedVersion, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero && expectedVersion > 0 && lease.Name.StartsWith("shard-", StringComparison.Ordinal) && lease.Holder.Length > 0)
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _mostInFlight, now);
            Started.Enqueue(lease.Name);
            try
            {
                // A timer on the test's fake clock: the write is held until the test advances it, never for real time.
                var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var timer = time.CreateTimer(_ => held.TrySetResult(), null, Delay, Timeout.InfiniteTimeSpan);
                using var cancelled = cancellationToken.Register(() => held.TrySetCanceled(cancellationToken));
                Waiting.Release();
                await held.Task;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
        return await inner.TryWriteAsync(lease, expectedVersion, cancellationToken);
    }

    public Task<bool> TryDeleteAsync(string name, long expectedVersion, CancellationToken cancellationToken) => inner.TryDeleteAsync(name, expectedVersion, cancellationToken);

    public Task<LeaseSetting?> ReadSettingAsync(string name, CancellationToken cancellationToken) => inner.ReadSettingAsync(name, cancellationToken);

    public Task<bool> TryWriteSettingAsync(LeaseSetting setting, long expectedVersion, CancellationToken cancellationToken) =>
        inner.TryWriteSettingAsync(setting, expectedVersion, cancellationToken);

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}

/// <summary>A replica's clocks: the monotonic clock and timers of a fake clock, and a wall clock that can be stepped away from it (an NTP correction).</summary>
internal sealed class SteppedWallClock(TimeProvider inner) : TimeProvider
{
    public TimeSpan Step { get; set; }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Step;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => inner.CreateTimer(callback, state, dueTime, period);
}
