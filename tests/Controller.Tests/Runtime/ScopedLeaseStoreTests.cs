using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>Issue 11, item 1: controllers of different selectors (or names) on one lease table never share shards.</summary>
public sealed class ScopedLeaseStoreTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scoped-leases-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private ILeaseStore _table = null!;

    public async Task InitializeAsync()
    {
        using var specs = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = _path });
        _table = await SqliteLeaseStore.OpenAsync(_path, default);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Controllers_of_different_selectors_on_one_table_each_hold_all_of_their_own_shards()
    {
        var options = new LeaseOptions { Shards = 4 };
        using var web = new LeaseCoordinator(Scoped(null, "team=web"), "web-replica", options, _time);
        using var payments = new LeaseCoordinator(Scoped(null, " team = payments "), "payments-replica", options, _time);
        using var named = new LeaseCoordinator(Scoped("billing", "team=web"), "billing-replica", options, _time);
        for (var round = 0; round < 3; round++)
        {
            foreach (var coordinator in new[] { web, payments, named })
            {
                await coordinator.TickAsync(default);
            }
            _time.Advance(options.RetryInterval);
        }

        // Each is alone in its scope: it holds every shard of it, as one replica does.
        Assert.Equal([0, 1, 2, 3], web.HeldShards.Order());
        Assert.Equal([0, 1, 2, 3], payments.HeldShards.Order());
        Assert.Equal([0, 1, 2, 3], named.HeldShards.Order());
        var rows = (await _table.ListAsync(default)).Select(r => r.Name).ToList();
        Assert.Contains("scope/selector=team=web/shard-00", rows);
        Assert.Contains("scope/selector=team=payments/shard-03", rows);
        Assert.Contains("scope/name=billing/member/billing-replica", rows);
        Assert.DoesNotContain("shard-00", rows);
    }

    [Fact]
    public async Task Each_scope_records_its_own_shard_count()
    {
        var web = Scoped(null, "team=web");
        var payments = Scoped(null, "team=payments");

        Assert.True(await web.TryWriteSettingAsync(new LeaseSetting(LeaseCoordinator.ShardCountSetting, 4, 1), 0, default));
        Assert.True(await payments.TryWriteSettingAsync(new LeaseSetting(LeaseCoordinator.ShardCountSetting, 8, 1), 0, default));

        Assert.Equal(new LeaseSetting(LeaseCoordinator.ShardCountSetting, 4, 1), await web.ReadSettingAsync(LeaseCoordinator.ShardCountSetting, default));
        Assert.Equal(8, (await payments.ReadSettingAsync(LeaseCoordinator.ShardCountSetting, default))!.Value);
        Assert.Null(await _table.ReadSettingAsync(LeaseCoordinator.ShardCountSetting, default));
        Assert.NotNull(await _table.ReadSettingAsync("scope/selector=team=web/" + LeaseCoordinator.ShardCountSetting, default));
    }

    [Fact]
    public async Task Each_scope_has_its_own_syncer_lease()
    {
        var web = new NamedLease(Scoped(null, "team=web"), Reconciler.Controller.Sync.SyncRunnable.LeaseName, "web-replica", timeProvider: _time);
        var payments = new NamedLease(Scoped(null, "team=payments"), Reconciler.Controller.Sync.SyncRunnable.LeaseName, "payments-replica", timeProvider: _time);
        var rival = new NamedLease(Scoped(null, "team=web"), Reconciler.Controller.Sync.SyncRunnable.LeaseName, "web-replica-2", timeProvider: _time);

        Assert.True(await web.TickAsync(default));
        Assert.True(await payments.TickAsync(default));
        // In one scope, still one syncer.
        Assert.False(await rival.TickAsync(default));
        var rows = (await _table.ListAsync(default)).Select(r => r.Name).ToList();
        Assert.Contains("scope/selector=team=web/lease/syncer", rows);
        Assert.Contains("scope/selector=team=payments/lease/syncer", rows);
    }

    [Fact]
    public void The_scope_is_the_name_else_the_selector_in_a_canonical_order_else_none()
    {
        Assert.Equal("selector=env!=dev,team=web", ScopedLeaseStore.ScopeOf(null, "team = web, env!=dev"));
        Assert.Equal(ScopedLeaseStore.ScopeOf(null, "env!=dev,team=web"), ScopedLeaseStore.ScopeOf("", "team=web,env!=dev"));
        Assert.Equal("name=web", ScopedLeaseStore.ScopeOf("web", "team=web"));
        Assert.Null(ScopedLeaseStore.ScopeOf(null, null));
    }

    private ScopedLeaseStore Scoped(string? name, string selector) => new(_table, ScopedLeaseStore.ScopeOf(name, selector)!);
}
