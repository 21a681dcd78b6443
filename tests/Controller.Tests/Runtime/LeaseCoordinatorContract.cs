using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>Shard leases among several coordinators on one store; run against SQLite and against dynalite.</summary>
public abstract class LeaseCoordinatorContract : IAsyncLifetime
{
    private static readonly RuntimeMetrics Metrics = new();
    private readonly List<LeaseCoordinator> _coordinators = [];

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));

    protected static LeaseOptions Options { get; } = new();

    protected ILeaseStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Store = await OpenStoreAsync();

    public virtual Task DisposeAsync()
    {
        foreach (var coordinator in _coordinators)
        {
            coordinator.Dispose();
        }
        return Task.CompletedTask;
    }

    protected abstract Task<ILeaseStore> OpenStoreAsync();

    [Fact]
    public async Task One_replica_holds_every_shard()
    {
        var only = Join("only");
        Assert.True(await only.TickAsync(default));
        Assert.Equal(Enumerable.Range(0, 16), only.HeldShards);
        Assert.All(Enumerable.Range(0, 16), s => Assert.True(only.TryGetTenure(s, out _)));
    }

    [Theory]
    [InlineData(2, new[] { 8, 8 })]
    [InlineData(3, new[] { 6, 6, 4 })]
    public async Task Replicas_that_join_settle_with_every_shard_owned_by_exactly_one(int replicas, int[] shares)
    {
        var first = Join("replica-0");
        await first.TickAsync(default);
        Assert.Equal(16, first.HeldShards.Count);
        for (var i = 1; i < replicas; i++)
        {
            Join($"replica-{i}");
        }
        await SettleAsync();
        AssertExactlyOneOwnerPerShard();
        Assert.Equal(shares.Order(), _coordinators.Select(c => c.HeldShards.Count).Order());

        var rows = (await Store.ListAsync(default)).Where(r => r.Name.StartsWith("shard-", StringComparison.Ordinal)).ToList();
        Assert.Equal(16, rows.Count);
        foreach (var coordinator in _coordinators)
        {
            Assert.All(coordinator.HeldShards, s => Assert.Equal(coordinator.Identity, rows.Single(r => r.Name == LeaseCoordinator.ShardName(s)).Holder));
        }
    }

    [Fact]
    public async Task A_replica_that_stops_gracefully_is_replaced_within_the_lease_duration()
    {
        Join("a");
        Join("b");
        var leaving = Join("c");
        await SettleAsync();
        await leaving.ReleaseAllAsync(default);
        _coordinators.Remove(leaving);
        leaving.Dispose();

        var started = Time.GetUtcNow();
        await SettleAsync();
        Assert.True(Time.GetUtcNow() - started <= Options.LeaseDuration, $"took {Time.GetUtcNow() - started}");
        AssertExactlyOneOwnerPerShard();
        Assert.Equal([8, 8], _coordinators.Select(c => c.HeldShards.Count));
    }

    [Fact]
    public async Task A_crashed_replica_stops_its_work_before_its_leases_can_be_taken_and_they_are_taken_once_they_expire()
    {
        Join("a");
        Join("b");
        var crashed = Join("c");
        await SettleAsync();
        var orphaned = crashed.HeldShards;
        Assert.NotEmpty(orphaned);
        _coordinators.Remove(crashed);

        var started = Time.GetUtcNow();
        while (_coordinators.Sum(c => c.HeldShards.Count) < 16)
        {
            Time.Advance(Options.RetryInterval);
            foreach (var coordinator in _coordinators)
            {
                await coordinator.TickAsync(default);
            }
            // Safety at every step: a shard the crashed replica still believes in is never worked on by two.
            foreach (var shard in Enumerable.Range(0, 16))
            {
                var owners = _coordinators.Append(crashed).Count(c => c.TryGetTenure(shard, out _));
                Assert.True(owners <= 1, $"shard {shard} has {owners} owners at {Time.GetUtcNow() - started}");
            }
            Assert.True(Time.GetUtcNow() - started <= Options.LeaseDuration + Options.RenewInterval, "failover too slow");
        }
        Assert.All(orphaned, s => Assert.False(crashed.TryGetTenure(s, out _)));
        await SettleAsync();
        AssertExactlyOneOwnerPerShard();
        crashed.Dispose();
    }

    [Fact]
    public async Task A_replica_whose_renewals_fail_stops_its_work_before_the_lease_expires()
    {
        var faulty = new FaultyLeaseStore(Store);
        var coordinator = new LeaseCoordinator(faulty, "flaky", Options, Time, metrics: Metrics);
        _coordinators.Add(coordinator);
        var lost = new List<int>();
        coordinator.Subscribe(new LostRecorder(lost));
        await coordinator.TickAsync(default);
        Assert.True(coordinator.TryGetTenure(3, out var tenure));

        Time.Advance(Options.RenewInterval);
        faulty.FailWrites = true;
        Assert.False(await coordinator.TickAsync(default));

        Assert.True(tenure.IsCancellationRequested);
        Assert.Empty(coordinator.HeldShards);
        Assert.Equal(Enumerable.Range(0, 16), lost.Order());
        var row = (await Store.ListAsync(default)).Single(r => r.Name == LeaseCoordinator.ShardName(3));
        Assert.Equal("flaky", row.Holder);
        Assert.True(row.ExpiresAt > Time.GetUtcNow(), "work must stop while the lease is still ours");
    }

    [Fact]
    public async Task A_replica_fences_itself_by_its_monotonic_clock_before_its_lease_can_expire_even_if_its_wall_clock_steps_back()
    {
        var clock = new SteppedWallClock(Time);
        var coordinator = new LeaseCoordinator(Store, "fenced", Options, clock, metrics: Metrics);
        _coordinators.Add(coordinator);
        await coordinator.TickAsync(default);
        Assert.True(coordinator.TryGetTenure(3, out var tenure));

        // No round runs any more (a stuck loop), and the wall clock is stepped back 30 s: by it the lease looks good for
        // 30 s more, but the right to work counts on the monotonic clock from the start of the acquisition.
        clock.Step = TimeSpan.FromSeconds(-30);
        Time.Advance(Options.Tenure - TimeSpan.FromMilliseconds(1));
        Assert.False(tenure.IsCancellationRequested, "fenced too early");
        Assert.True(coordinator.TryGetTenure(3, out _));

        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(tenure.IsCancellationRequested, "work must stop once the tenure runs out, without any call");
        Assert.Empty(coordinator.HeldShards);
        Assert.False(coordinator.TryGetTenure(3, out _));
        var row = (await Store.ListAsync(default)).Single(r => r.Name == LeaseCoordinator.ShardName(3));
        Assert.Equal("fenced", row.Holder);
        Assert.True(row.ExpiresAt - Time.GetUtcNow() >= Options.ClockSkewMargin, "work must stop at least the skew margin before the lease expires for others");
    }

    [Fact]
    public async Task Renewals_run_at_once_so_a_slow_store_renews_every_shard_within_the_renew_interval_and_tenure_counts_from_each_request()
    {
        var slow = new SlowLeaseStore(Store, Time);
        var coordinator = new LeaseCoordinator(slow, "patient", Options, Time, metrics: Metrics);
        _coordinators.Add(coordinator);
        await coordinator.TickAsync(default);
        var tenures = Enumerable.Range(0, 16).Select(s => coordinator.TryGetTenure(s, out var t) ? t : throw new InvalidOperationException($"shard {s} not held")).ToList();

        Time.Advance(Options.RenewInterval);
        var roundStarted = Time.GetUtcNow();
        // Each renewal takes 1.5 s: one after the other, 16 of them would take 24 s, past every lease.
        slow.Delay = TimeSpan.FromSeconds(1.5);
        var round = coordinator.TickAsync(default);
        var bound = Options.ConcurrentRenewals;
        Assert.InRange(bound, 2, 15);
        for (var renewed = 0; renewed < 16; renewed += bound)
        {
            await slow.WaitForRenewalsAsync(Math.Min(bound, 16 - renewed));
            Time.Advance(slow.Delay);
        }
        Assert.True(await round.WaitAsync(TimeSpan.FromSeconds(30)), "the round should settle");
        Assert.True(Time.GetUtcNow() - roundStarted <= Options.RenewInterval, $"renewals took {Time.GetUtcNow() - roundStarted}");
        Assert.Equal(bound, slow.MostInFlight);
        Assert.Equal(Enumerable.Range(0, 16), coordinator.HeldShards);
        Assert.All(tenures, t => Assert.False(t.IsCancellationRequested));

        // The first batch's requests started at the round's start: their tenure ends the tenure after it, not after they answered.
        var firstBatch = slow.Started.Take(bound).ToHashSet(StringComparer.Ordinal);
        Time.Advance(roundStarted + Options.Tenure - Time.GetUtcNow());
        foreach (var shard in Enumerable.Range(0, 16))
        {
            Assert.Equal(firstBatch.Contains(LeaseCoordinator.ShardName(shard)), tenures[shard].IsCancellationRequested);
        }
    }

    [Fact]
    public async Task A_store_slower_than_the_tenure_fences_the_replica_and_cancels_its_in_flight_reconcile_before_the_lease_expires()
    {
        // Store calls may take up to 10 s before they count as failed, so a hanging renewal fails only after the lease
        // has run out: only the fence stops the work in time.
        var options = Options with { OperationTimeout = TimeSpan.FromSeconds(10) };
        var slow = new SlowLeaseStore(Store, Time);
        var coordinator = new LeaseCoordinator(slow, "stalled", options, Time, metrics: Metrics);
        _coordinators.Add(coordinator);
        await coordinator.TickAsync(default);
        var acquired = Time.GetUtcNow();
        await using var h = await RuntimeHarness.CreateAsync(shards: coordinator, time: Time);
        var cancelled = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        h.Reconciler.Behaviour = async (doc, ct) =>
        {
            if (started.TrySetResult())
            {
                await using var _ = ct.Register(() => cancelled.TrySetResult());
                await RuntimeHarness.UntilCancelledAsync(ct);
            }
            return null;
        };
        await h.StartAsync();
        await h.CreateObjectAsync("blocked");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Time.Advance(options.RenewInterval);
        slow.Delay = TimeSpan.FromMinutes(1);
        var round = coordinator.TickAsync(default);
        await slow.WaitForRenewalsAsync(options.ConcurrentRenewals);
        Time.Advance(acquired + options.Tenure - Time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        Assert.False(cancelled.Task.IsCompleted, "fenced too early");
        Time.Advance(TimeSpan.FromMilliseconds(1));

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(coordinator.HeldShards);
        var rows = (await Store.ListAsync(default)).Where(r => r.Name.StartsWith("shard-", StringComparison.Ordinal)).ToList();
        Assert.Equal(16, rows.Count);
        Assert.All(rows, r => Assert.Equal("stalled", r.Holder));
        Assert.All(rows, r => Assert.True(r.ExpiresAt - Time.GetUtcNow() >= options.ClockSkewMargin, $"{r.Name} expires at {r.ExpiresAt}, now {Time.GetUtcNow()}"));

        // The store recovers and the hanging calls time out: the round reports the failure and takes the shards again,
        // still ours in the table, and the cancelled reconcile runs once more.
        slow.Delay = TimeSpan.Zero;
        Time.Advance(options.OperationTimeout);
        Assert.False(await round.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(0, 16), coordinator.HeldShards);
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("blocked") == 2, "reconciled again once the shard came back");
    }

    [Fact]
    public async Task A_replica_started_with_another_shard_count_refuses_while_a_replica_with_the_recorded_one_is_live()
    {
        var first = Join("first");
        await first.JoinAsync(default);
        await first.TickAsync(default);
        Assert.Equal(16, (await Store.ReadSettingAsync(LeaseCoordinator.ShardCountSetting, default))?.Value);

        var other = new LeaseCoordinator(Store, "other", Options with { Shards = 8 }, Time, metrics: Metrics);
        _coordinators.Add(other);
        var refused = await Assert.ThrowsAsync<ShardCountMismatchException>(() => other.JoinAsync(default));
        Assert.Equal(16, refused.Recorded);
        Assert.Equal(8, refused.Configured);
        Assert.Equal(["first"], refused.LiveReplicas);
        Assert.Contains("16 shards", refused.Message, StringComparison.Ordinal);
        Assert.Contains("configured with 8", refused.Message, StringComparison.Ordinal);

        // Even if it ran rounds anyway, it would take nothing: the count is checked before every acquisition.
        await first.ReleaseAllAsync(default);
        Assert.False(await other.TickAsync(default));
        Assert.Empty(other.HeldShards);
        Assert.False(other.IsActive);
        Assert.Contains("records 16 shards", other.Refusal, StringComparison.Ordinal);
        Assert.Equal(16, (await Store.ReadSettingAsync(LeaseCoordinator.ShardCountSetting, default))?.Value);
    }

    [Fact]
    public async Task The_shard_count_changes_only_once_no_replica_with_the_old_one_is_live()
    {
        var old = Join("old");
        await old.JoinAsync(default);
        await old.TickAsync(default);

        // It crashes: its heartbeat and leases must run out (plus the skew margin) before another count may be recorded.
        _coordinators.Remove(old);
        old.Dispose();
        var other = new LeaseCoordinator(Store, "new", Options with { Shards = 8 }, Time, metrics: Metrics);
        _coordinators.Add(other);
        Time.Advance(Options.LeaseDuration);
        await Assert.ThrowsAsync<ShardCountMismatchException>(() => other.JoinAsync(default));
        Time.Advance(Options.ClockSkewMargin + TimeSpan.FromMilliseconds(1));
        await other.JoinAsync(default);
        Assert.Equal(8, (await Store.ReadSettingAsync(LeaseCoordinator.ShardCountSetting, default))?.Value);
        Assert.True(await other.TickAsync(default));
        Assert.Equal(Enumerable.Range(0, 8), other.HeldShards);

        // The old replica comes back (a long pause, not a crash): it takes nothing under its count.
        var back = Join("old");
        Assert.False(await back.TickAsync(default));
        Assert.Empty(back.HeldShards);
        Assert.Equal(Enumerable.Range(0, 8), other.HeldShards);
    }

    protected LeaseCoordinator Join(string identity)
    {
        var coordinator = new LeaseCoordinator(Store, identity, Options, Time, metrics: Metrics);
        _coordinators.Add(coordinator);
        return coordinator;
    }

    /// <summary>Rounds (one retry interval apart) until a round in which every coordinator reports itself settled.</summary>
    protected async Task SettleAsync()
    {
        for (var round = 0; round < 20; round++)
        {
            var settled = true;
            foreach (var coordinator in _coordinators)
            {
                settled &= await coordinator.TickAsync(default);
            }
            if (settled && _coordinators.Sum(c => c.HeldShards.Count) == 16)
            {
                return;
            }
            Time.Advance(Options.RetryInterval);
        }
        throw new InvalidOperationException("coordinators did not settle in 20 rounds");
    }

    protected void AssertExactlyOneOwnerPerShard()
    {
        foreach (var shard in Enumerable.Range(0, 16))
        {
            Assert.Equal(1, _coordinators.Count(c => c.HeldShards.Contains(shard)));
        }
    }

    private sealed class LostRecorder(List<int> lost) : IShardListener
    {
        public void ShardAcquired(int shard)
        {
        }

        public void ShardLost(int shard)
        {
            lock (lost)
            {
                lost.Add(shard);
            }
        }
    }
}

/// <summary>Fault injection over a real lease store: writes can be made to fail as a network partition would.</summary>
internal sealed class FaultyLeaseStore(ILeaseStore inner) : ILeaseStore
{
    public volatile bool FailWrites;

    public Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<bool> TryWriteAsync(Lease lease, long expectedVersion, CancellationToken cancellationToken) =>
        FailWrites ? throw new IOException("lease table unreachable") : inner.TryWriteAsync(lease, expectedVersion, cancellationToken);

    public Task<bool> TryDeleteAsync(string name, long expectedVersion, CancellationToken cancellationToken) =>
        FailWrites ? throw new IOException("lease table unreachable") : inner.TryDeleteAsync(name, expectedVersion, cancellationToken);

    public Task<LeaseSetting?> ReadSettingAsync(string name, CancellationToken cancellationToken) => inner.ReadSettingAsync(name, cancellationToken);

    public Task<bool> TryWriteSettingAsync(LeaseSetting setting, long expectedVersion, CancellationToken cancellationToken) =>
        FailWrites ? throw new IOException("lease table unreachable") : inner.TryWriteSettingAsync(setting, expectedVersion, cancellationToken);
}
