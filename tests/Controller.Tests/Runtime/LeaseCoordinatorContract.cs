using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>Shard leases among several coordinators on one store; run against SQLite and against dynalite.</summary>
public abstract class LeaseCoordinatorContract : IAsyncLifetime
{
    private static readonly RuntimeMetrics Metrics = new();
    private readonly List<LeaseCoordinator> coordinators = [];

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));

    protected static LeaseOptions Options { get; } = new();

    protected ILeaseStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Store = await OpenStoreAsync();

    public virtual Task DisposeAsync()
    {
        foreach (var coordinator in coordinators)
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
        Assert.Equal(shares.Order(), coordinators.Select(c => c.HeldShards.Count).Order());

        var rows = (await Store.ListAsync(default)).Where(r => r.Name.StartsWith("shard-", StringComparison.Ordinal)).ToList();
        Assert.Equal(16, rows.Count);
        foreach (var coordinator in coordinators)
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
        coordinators.Remove(leaving);
        leaving.Dispose();

        var started = Time.GetUtcNow();
        await SettleAsync();
        Assert.True(Time.GetUtcNow() - started <= Options.LeaseDuration, $"took {Time.GetUtcNow() - started}");
        AssertExactlyOneOwnerPerShard();
        Assert.Equal([8, 8], coordinators.Select(c => c.HeldShards.Count));
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
        coordinators.Remove(crashed);

        var started = Time.GetUtcNow();
        while (coordinators.Sum(c => c.HeldShards.Count) < 16)
        {
            Time.Advance(Options.RetryInterval);
            foreach (var coordinator in coordinators)
            {
                await coordinator.TickAsync(default);
            }
            // Safety at every step: a shard the crashed replica still believes in is never worked on by two.
            foreach (var shard in Enumerable.Range(0, 16))
            {
                var owners = coordinators.Append(crashed).Count(c => c.TryGetTenure(shard, out _));
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
        coordinators.Add(coordinator);
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

    protected LeaseCoordinator Join(string identity)
    {
        var coordinator = new LeaseCoordinator(Store, identity, Options, Time, metrics: Metrics);
        coordinators.Add(coordinator);
        return coordinator;
    }

    /// <summary>Rounds (one retry interval apart) until a round in which every coordinator reports itself settled.</summary>
    protected async Task SettleAsync()
    {
        for (var round = 0; round < 20; round++)
        {
            var settled = true;
            foreach (var coordinator in coordinators)
            {
                settled &= await coordinator.TickAsync(default);
            }
            if (settled && coordinators.Sum(c => c.HeldShards.Count) == 16)
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
            Assert.Equal(1, coordinators.Count(c => c.HeldShards.Contains(shard)));
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
}
