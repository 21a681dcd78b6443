using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

public sealed class SqliteLeaseCoordinatorTests : LeaseCoordinatorContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"leases-{Guid.NewGuid():N}.db");

    protected override async Task<ILeaseStore> OpenStoreAsync()
    {
        // The lease table lives in the spec store's file, next to its tables.
        using var specs = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = _path });
        return await SqliteLeaseStore.OpenAsync(_path, default);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Losing_a_shard_cancels_its_in_flight_reconcile_and_stops_enqueuing_its_keys()
    {
        var faulty = new FaultyLeaseStore(Store);
        var coordinator = new LeaseCoordinator(faulty, "worker", Options, Time);
        await coordinator.TickAsync(default);
        await using var h = await RuntimeHarness.CreateAsync(shards: coordinator, time: Time);
        var cancelled = new TaskCompletionSource();
        h.Reconciler.Behaviour = async (doc, ct) =>
        {
            if (doc.Metadata.Name == "blocked")
            {
                await using var _ = ct.Register(() => cancelled.TrySetResult());
                await RuntimeHarness.UntilCancelledAsync(ct);
            }
            return null;
        };
        await h.StartAsync();
        await h.CreateObjectAsync("blocked");
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("blocked") == 1, "reconcile in flight");

        faulty.FailWrites = true;
        Time.Advance(Options.RenewInterval);
        await coordinator.TickAsync(default);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.IdleAsync();
        Assert.Equal(0, h.Controller.Queue.DelayedCount);

        // No shard held: a new object is not taken up.
        await h.CreateObjectAsync("unowned");
        await RuntimeHarness.WaitUntilAsync(() => h.Informer.Keys().Contains("unowned"), "cached");
        await h.IdleAsync();
        Assert.Equal(0, h.Reconciler.Reconciles("unowned"));

        // Shards come back: the keys of each acquired shard are enqueued again.
        faulty.FailWrites = false;
        Time.Advance(Options.RetryInterval);
        await coordinator.TickAsync(default);
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("unowned") == 1, "reconciled after the shard returned");
        coordinator.Dispose();
    }
}
