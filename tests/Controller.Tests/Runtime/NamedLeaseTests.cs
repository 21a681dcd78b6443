using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>A named lease (the syncer's) fences itself like a shard: by the monotonic clock, on a timer, on a real SQLite lease table.</summary>
public sealed class NamedLeaseTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"named-lease-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
    private ILeaseStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteLeaseStore.OpenAsync(_path, default);

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
    public async Task Its_work_stops_when_the_tenure_runs_out_unrenewed_even_if_the_wall_clock_steps_back()
    {
        var options = new LeaseOptions();
        var clock = new SteppedWallClock(_time);
        using var lease = new NamedLease(_store, "syncer", "replica-1", options, clock);
        Assert.True(await lease.TickAsync(default));
        Assert.True(lease.TryGetTenure(out var tenure));

        clock.Step = TimeSpan.FromSeconds(-30);
        _time.Advance(options.Tenure - TimeSpan.FromMilliseconds(1));
        Assert.False(tenure.IsCancellationRequested, "fenced too early");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(tenure.IsCancellationRequested, "the timer must stop the work without any round");
        Assert.False(lease.IsHeld);
        var row = (await _store.ListAsync(default)).Single(r => r.Name == lease.Name);
        Assert.Equal("replica-1", row.Holder);
        Assert.True(row.ExpiresAt - _time.GetUtcNow() >= options.ClockSkewMargin);

        // A renewal gives a new tenure, counted from its own start.
        Assert.True(await lease.TickAsync(default));
        Assert.True(lease.TryGetTenure(out var next));
        _time.Advance(options.Tenure);
        Assert.True(next.IsCancellationRequested);
    }
}
