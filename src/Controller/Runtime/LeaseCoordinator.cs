using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Runtime;

/// <summary>Holds this replica's fair share of shard leases in an <see cref="ILeaseStore"/> and tells the controller which keys are its own.</summary>
/// <remarks>
/// <para>Each round: heartbeat the membership row, renew every held lease, then balance: the fair share is
/// <c>⌈shards ÷ live members⌉</c>; a replica over it hands back its extras, one under it takes free or expired shards.</para>
/// <para>Safety: a shard's tenure token is cancelled (so its in-flight reconciles stop and no key of it is enqueued)
/// the moment a renewal fails or cannot be attempted, which is always before the lease itself can expire; and a
/// lease whose expiry is closer than one operation timeout counts as lost even if no round ran.</para>
/// </remarks>
public sealed class LeaseCoordinator : IShardOwnership, IRuntimeProbe, IDisposable
{
    private const string MemberPrefix = "member/";

    private readonly ILeaseStore store;
    private readonly LeaseOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<int, Tenure> held = [];
    private readonly List<IShardListener> listeners = [];
    private readonly IDisposable registration;
    private readonly int scanOffset;
    private DateTimeOffset? lastHeartbeat;

    public LeaseCoordinator(ILeaseStore store, string identity, LeaseOptions? options = null, TimeProvider? timeProvider = null,
        ILogger<LeaseCoordinator>? logger = null, RuntimeMetrics? metrics = null)
    {
        this.store = store;
        Identity = identity;
        this.options = options ?? new LeaseOptions();
        this.options.Validate();
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<LeaseCoordinator>.Instance;
        // Replicas scan for free shards from different places, so they rarely race for the same one.
        scanOffset = (int)(ShardHasher.Fnv1a(identity) % (uint)this.options.Shards);
        registration = (metrics ?? RuntimeMetrics.Default).Register(this);
    }

    /// <summary>Who this replica is in the lease table.</summary>
    public string Identity { get; }

    public int ShardCount => options.Shards;

    /// <summary>The shards held right now, in order.</summary>
    public IReadOnlyList<int> HeldShards
    {
        get
        {
            lock (gate)
            {
                return [.. held.Keys.Order()];
            }
        }
    }

    /// <summary>True when the last complete round (heartbeat included) is younger than a lease: a live member with its share.</summary>
    public bool IsActive
    {
        get
        {
            lock (gate)
            {
                return lastHeartbeat is { } beat && time.GetUtcNow() - beat < options.LeaseDuration;
            }
        }
    }

    string IRuntimeProbe.TagName => "holder";

    string IRuntimeProbe.TagValue => Identity;

    double? IRuntimeProbe.LeasesHeld
    {
        get
        {
            lock (gate)
            {
                return held.Count;
            }
        }
    }

    public static string ShardName(int shard) => $"shard-{shard.ToString("D2", CultureInfo.InvariantCulture)}";

    public bool TryGetTenure(int shard, out CancellationToken tenure)
    {
        Tenure? lapsed = null;
        lock (gate)
        {
            if (held.TryGetValue(shard, out var current))
            {
                if (current.Lease.ExpiresAt - time.GetUtcNow() > options.OperationTimeout)
                {
                    tenure = current.Token;
                    return true;
                }
                // No round has renewed it in time (the loop is stuck or the store hangs): stop before it can expire.
                held.Remove(shard);
                lapsed = current;
            }
        }
        if (lapsed is not null)
        {
            Lose(shard, lapsed, "its lease is about to expire unrenewed");
        }
        tenure = CancellationToken.None;
        return false;
    }

    public void Subscribe(IShardListener listener)
    {
        lock (gate)
        {
            listeners.Add(listener);
        }
    }

    /// <summary>Runs rounds until <paramref name="cancellationToken"/> fires: every renew interval when settled, every retry interval otherwise.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var settled = await TickAsync(cancellationToken);
            try
            {
                await Task.Delay(settled ? options.RenewInterval : options.RetryInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: heartbeat, renew, balance. True when settled (nothing failed, nothing more to take or give).</summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Lease> rows;
        try
        {
            rows = await WithTimeout(ct => store.ListAsync(ct), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No read, no renewal: stop all work now rather than when the leases run out.
            logger.LogWarning(ex, "lease table unreadable; {Identity} stops work on all {Count} shards", Identity, HeldShards.Count);
            LoseAll("the lease table could not be read");
            return false;
        }
        var byName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var beat = await HeartbeatAsync(byName, cancellationToken);
        var settled = await RenewAsync(byName, cancellationToken);
        settled &= await BalanceAsync(byName, cancellationToken);
        if (beat)
        {
            // Active (and so ready) only after a whole round: the heartbeat, then our share taken.
            lock (gate)
            {
                lastHeartbeat = time.GetUtcNow();
            }
        }
        return beat && settled;
    }

    /// <summary>Stops all work, releases every lease and removes the membership row, so others take over at once.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        List<(int Shard, Tenure Tenure)> released;
        lock (gate)
        {
            released = [.. held.Select(h => (h.Key, h.Value))];
            held.Clear();
            lastHeartbeat = null;
        }
        foreach (var (shard, tenure) in released)
        {
            Lose(shard, tenure, "released");
            await TryReleaseAsync(tenure.Lease, cancellationToken);
        }
        try
        {
            var member = (await store.ListAsync(cancellationToken)).FirstOrDefault(r => r.Name == MemberName);
            if (member is not null)
            {
                await store.TryDeleteAsync(member.Name, member.Version, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Identity} could not remove its membership row; it expires by itself", Identity);
        }
        logger.LogInformation("{Identity} released {Count} shard leases", Identity, released.Count);
    }

    public void Dispose()
    {
        LoseAll("disposed");
        registration.Dispose();
    }

    private string MemberName => MemberPrefix + Identity;

    private async Task<bool> HeartbeatAsync(Dictionary<string, Lease> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        rows.TryGetValue(MemberName, out var current);
        var next = new Lease(MemberName, Identity, now + options.LeaseDuration, (current?.Version ?? 0) + 1);
        try
        {
            if (await WithTimeout(ct => store.TryWriteAsync(next, current?.Version ?? 0, ct), cancellationToken))
            {
                rows[MemberName] = next;
                return true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "{Identity} heartbeat failed", Identity);
        }
        return false;
    }

    private async Task<bool> RenewAsync(Dictionary<string, Lease> rows, CancellationToken cancellationToken)
    {
        var ok = true;
        foreach (var (shard, tenure) in Snapshot())
        {
            var name = ShardName(shard);
            if (!rows.TryGetValue(name, out var row) || row.Holder != Identity || row.Version != tenure.Lease.Version)
            {
                Drop(shard, tenure, "another replica holds it now");
                ok = false;
                continue;
            }
            var renewed = row with { ExpiresAt = time.GetUtcNow() + options.LeaseDuration, Version = row.Version + 1 };
            bool written;
            try
            {
                written = await WithTimeout(ct => store.TryWriteAsync(renewed, row.Version, ct), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{Identity} could not renew {Shard}", Identity, name);
                written = false;
            }
            if (!written)
            {
                Drop(shard, tenure, "its renewal failed");
                ok = false;
                continue;
            }
            rows[name] = renewed;
            lock (gate)
            {
                if (held.TryGetValue(shard, out var still) && ReferenceEquals(still.Source, tenure.Source))
                {
                    held[shard] = tenure with { Lease = renewed };
                }
            }
        }
        return ok;
    }

    private async Task<bool> BalanceAsync(Dictionary<string, Lease> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var members = Math.Max(1, rows.Values.Count(r => r.Name.StartsWith(MemberPrefix, StringComparison.Ordinal) && r.IsHeldAt(now)));
        var share = (options.Shards + members - 1) / members;
        var mine = Snapshot();

        if (mine.Count > share)
        {
            // Hand back the extras, highest shards first, so every replica agrees which ones move.
            foreach (var (shard, tenure) in mine.OrderByDescending(m => m.Shard).Take(mine.Count - share))
            {
                Drop(shard, tenure, $"rebalancing to a share of {share} among {members} replicas");
                await TryReleaseAsync(tenure.Lease with { Version = rows.GetValueOrDefault(ShardName(shard))?.Version ?? tenure.Lease.Version }, cancellationToken);
            }
            return true;
        }

        var wanted = share - mine.Count;
        for (var i = 0; i < options.Shards && wanted > 0; i++)
        {
            var shard = (scanOffset + i) % options.Shards;
            if (mine.Any(m => m.Shard == shard))
            {
                continue;
            }
            var name = ShardName(shard);
            rows.TryGetValue(name, out var row);
            // Free, expired, or still ours in the table after we dropped it locally (a failed renewal): take it.
            if (row is not null && row.IsHeldAt(now) && row.Holder != Identity)
            {
                continue;
            }
            var lease = new Lease(name, Identity, now + options.LeaseDuration, (row?.Version ?? 0) + 1);
            try
            {
                if (!await WithTimeout(ct => store.TryWriteAsync(lease, row?.Version ?? 0, ct), cancellationToken))
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{Identity} could not acquire {Shard}", Identity, name);
                continue;
            }
            wanted--;
            Acquire(shard, lease);
        }
        if (wanted == 0)
        {
            return true;
        }
        // Short of our share: come back soon only if someone holds more than theirs (a hand-back is due);
        // otherwise the split is as fair as it gets (16 shards over 3 replicas is 6, 6, 4).
        return !rows.Values
            .Where(r => r.Name.StartsWith("shard-", StringComparison.Ordinal) && r.IsHeldAt(now) && r.Holder != Identity)
            .GroupBy(r => r.Holder, StringComparer.Ordinal)
            .Any(g => g.Count() > share);
    }

    private void Acquire(int shard, Lease lease)
    {
        IShardListener[] notify;
        lock (gate)
        {
            held[shard] = new Tenure(lease, new CancellationTokenSource());
            notify = [.. listeners];
        }
        logger.LogInformation("{Identity} acquired {Shard}", Identity, lease.Name);
        foreach (var listener in notify)
        {
            listener.ShardAcquired(shard);
        }
    }

    private void Drop(int shard, Tenure tenure, string reason)
    {
        lock (gate)
        {
            if (!held.TryGetValue(shard, out var current) || !ReferenceEquals(current.Source, tenure.Source))
            {
                return;
            }
            held.Remove(shard);
        }
        Lose(shard, tenure, reason);
    }

    private void LoseAll(string reason)
    {
        foreach (var (shard, tenure) in Snapshot())
        {
            Drop(shard, tenure, reason);
        }
    }

    private void Lose(int shard, Tenure tenure, string reason)
    {
        // Cancelled, never disposed: in-flight reconciles hold linked tokens of it.
        tenure.Source.Cancel();
        IShardListener[] notify;
        lock (gate)
        {
            notify = [.. listeners];
        }
        logger.LogWarning("{Identity} stopped work on {Shard}: {Reason}", Identity, ShardName(shard), reason);
        foreach (var listener in notify)
        {
            listener.ShardLost(shard);
        }
    }

    private async Task TryReleaseAsync(Lease lease, CancellationToken cancellationToken)
    {
        var released = lease with { Holder = "", ExpiresAt = time.GetUtcNow(), Version = lease.Version + 1 };
        try
        {
            await WithTimeout(ct => store.TryWriteAsync(released, lease.Version, ct), cancellationToken);
        }
        catch (Exception ex)
        {
            // Not released is still safe: the lease expires by itself, and our work on it has stopped.
            logger.LogWarning(ex, "{Identity} could not release {Shard}", Identity, lease.Name);
        }
    }

    private List<(int Shard, Tenure Tenure)> Snapshot()
    {
        lock (gate)
        {
            return [.. held.Select(h => (h.Key, h.Value))];
        }
    }

    private async Task<TResult> WithTimeout<TResult>(Func<CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.OperationTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        return await call(linked.Token).WaitAsync(linked.Token);
    }

    private sealed record Tenure(Lease Lease, CancellationTokenSource Source)
    {
        public CancellationToken Token { get; } = Source.Token;
    }
}
