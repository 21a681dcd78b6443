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
/// the moment a renewal fails or cannot be attempted, and in any case when its tenure runs out: lease duration minus
/// the clock skew margin, counted on this replica's monotonic clock (<see cref="TimeProvider.GetTimestamp"/>) from the
/// start of the last successful renewal or acquisition request. A timer fires then even if no round runs (a store call
/// that hangs, a stuck loop, a wall clock that jumps), so work stops before the lease can expire for anyone else.</para>
/// <para>The replicas agree on the shard count: it is recorded next to the leases (setting <see cref="ShardCountSetting"/>),
/// checked by <see cref="JoinAsync"/> at start and before any acquisition; it changes only while no other replica is live.</para>
/// </remarks>
public sealed class LeaseCoordinator : IShardOwnership, IRuntimeProbe, IDisposable
{
    private const string MemberPrefix = "member/";

    /// <summary>The setting that records the shard count the replicas sharing the lease table agreed on.</summary>
    public const string ShardCountSetting = "config/shards";

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
    private readonly long _tenureTicks;
    private string? _refusal;

    public LeaseCoordinator(ILeaseStore store, string identity, LeaseOptions? options = null, TimeProvider? timeProvider = null,
        ILogger<LeaseCoordinator>? logger = null, RuntimeMetrics? metrics = null)
    {
        this.store = store;
        Identity = identity;
        this.options = options ?? new LeaseOptions();
        this.options.Validate();
        time = timeProvider ?? TimeProvider.System;
        _tenureTicks = (long)(this.options.Tenure.TotalSeconds * time.TimestampFrequency);
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
                return _refusal is null && lastHeartbeat is { } beat && time.GetUtcNow() - beat < options.LeaseDuration;
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
                if (time.GetTimestamp() < current.Deadline)
                {
                    tenure = current.Token;
                    return true;
                }
                // The fence timer is due (or late): stop now rather than when it gets round to it.
                held.Remove(shard);
                lapsed = current;
            }
        }
        if (lapsed is not null)
        {
            Lose(shard, lapsed, "its tenure ran out unrenewed");
        }
        tenure = CancellationToken.None;
        return false;
    }

    /// <summary>Why this replica refuses to take shards (the lease table records another shard count); null when it does not.</summary>
    public string? Refusal
    {
        get
        {
            lock (gate)
            {
                return _refusal;
            }
        }
    }

    public void Subscribe(IShardListener listener)
    {
        lock (gate)
        {
            listeners.Add(listener);
        }
    }

    /// <summary>
    /// Runs rounds until <paramref name="cancellationToken"/> fires: one every renew interval when settled, every retry
    /// interval otherwise, each counted from the start of the previous round so a slow round does not push renewals late.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                var settled = await TickAsync(cancellationToken);
                var wait = (settled ? options.RenewInterval : options.RetryInterval) - time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Agrees on the shard count before any work: heartbeats (so a replica joining at the same time sees this one live),
    /// then records the count, or confirms it with a compare-and-swap so a concurrent change of it fails. A different
    /// recorded count is replaced only while no other replica is live (none heartbeating, no shard held).
    /// </summary>
    /// <exception cref="ShardCountMismatchException">Another count is recorded and replicas using it are live.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                var rows = (await WithTimeout(ct => store.ListAsync(ct), cancellationToken)).ToDictionary(r => r.Name, StringComparer.Ordinal);
                if (!await HeartbeatAsync(rows, cancellationToken))
                {
                    continue;
                }
                var recorded = await WithTimeout(ct => store.ReadSettingAsync(ShardCountSetting, ct), cancellationToken);
                if (recorded is not null && recorded.Value != options.Shards)
                {
                    var live = LiveOthers(rows.Values);
                    if (live.Count > 0)
                    {
                        throw new ShardCountMismatchException(recorded.Value, options.Shards, live);
                    }
                    logger.LogWarning("{Identity} changes the recorded shard count from {Recorded} to {Shards}: no other replica is live", Identity, recorded.Value, options.Shards);
                }
                if (await TryRecordShardCountAsync(recorded, cancellationToken))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is not ShardCountMismatchException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                // The rounds check the count again before taking any shard; a store that is down now is their problem.
                logger.LogWarning(ex, "{Identity} could not check the recorded shard count yet", Identity);
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
        var due = new List<(int Shard, Tenure Tenure, Lease Row)>();
        foreach (var (shard, tenure) in Snapshot())
        {
            var name = ShardName(shard);
            if (!rows.TryGetValue(name, out var row) || row.Holder != Identity || row.Version != tenure.Lease.Version)
            {
                Drop(shard, tenure, "another replica holds it now");
                ok = false;
                continue;
            }
            due.Add((shard, tenure, row));
        }
        // At once, a bounded number at a time: one after the other, a slow store would push the last renewals past
        // their tenure (16 shards × a 2 s timeout is longer than a lease).
        var renewed = new Lease?[due.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, due.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.ConcurrentRenewals, CancellationToken = cancellationToken },
            async (i, ct) => renewed[i] = await RenewOneAsync(due[i].Shard, due[i].Tenure, due[i].Row, ct));
        for (var i = 0; i < due.Count; i++)
        {
            if (renewed[i] is { } lease)
            {
                rows[lease.Name] = lease;
            }
            else
            {
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>Renews one held lease; the new lease, or null when the shard was dropped (fenced meanwhile, or the write failed).</summary>
    private async Task<Lease?> RenewOneAsync(int shard, Tenure tenure, Lease row, CancellationToken cancellationToken)
    {
        if (!IsCurrent(shard, tenure))
        {
            // Fenced while waiting for its turn: balancing takes it again if it is still ours in the table.
            return null;
        }
        // The tenure counts from here, before the request leaves: the store may apply it at any moment until it answers.
        var started = time.GetTimestamp();
        var renewed = row with { ExpiresAt = time.GetUtcNow() + options.LeaseDuration, Version = row.Version + 1 };
        bool written;
        try
        {
            written = await WithTimeout(ct => store.TryWriteAsync(renewed, row.Version, ct), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "{Identity} could not renew {Shard}", Identity, renewed.Name);
            written = false;
        }
        if (!written)
        {
            Drop(shard, tenure, "its renewal failed");
            return null;
        }
        lock (gate)
        {
            if (!held.TryGetValue(shard, out var still) || !ReferenceEquals(still, tenure))
            {
                return null;
            }
            tenure.Lease = renewed;
            tenure.Deadline = started + _tenureTicks;
        }
        Arm(shard, tenure);
        return renewed;
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
        var confirmed = false;
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
            if (!confirmed)
            {
                // Only with the agreed shard count, confirmed by a write that a concurrent change of it makes fail.
                if (!await ConfirmShardCountAsync(cancellationToken))
                {
                    return false;
                }
                confirmed = true;
            }
            var started = time.GetTimestamp();
            var lease = new Lease(name, Identity, time.GetUtcNow() + options.LeaseDuration, (row?.Version ?? 0) + 1);
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
            if (Acquire(shard, lease, started))
            {
                wanted--;
            }
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

    /// <summary>Holds the shard until its tenure (counted from <paramref name="started"/>) runs out unrenewed; false when it already has.</summary>
    private bool Acquire(int shard, Lease lease, long started)
    {
        var tenure = new Tenure(lease, started + _tenureTicks);
        if (time.GetTimestamp() >= tenure.Deadline)
        {
            logger.LogWarning("{Identity} acquired {Shard} too slowly to work on it; it lapses unused", Identity, lease.Name);
            return false;
        }
        IShardListener[] notify;
        lock (gate)
        {
            held[shard] = tenure;
            notify = [.. listeners];
        }
        Arm(shard, tenure);
        logger.LogInformation("{Identity} acquired {Shard}", Identity, lease.Name);
        foreach (var listener in notify)
        {
            listener.ShardAcquired(shard);
        }
        return true;
    }

    /// <summary>(Re)sets the fence: the timer that stops the shard's work when its tenure runs out.</summary>
    private void Arm(int shard, Tenure tenure)
    {
        long deadline;
        lock (gate)
        {
            if (tenure.Source.IsCancellationRequested)
            {
                return;
            }
            deadline = tenure.Deadline;
            tenure.Fence ??= time.CreateTimer(_ => Fence(shard, tenure), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        // Rounded up, so the timer never fires before the deadline (it would find the tenure still running).
        var remaining = TimeSpan.FromTicks((long)Math.Ceiling(Math.Max(0, deadline - time.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / time.TimestampFrequency));
        try
        {
            tenure.Fence.Change(remaining, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Lost meanwhile: nothing left to fence.
        }
    }

    private void Fence(int shard, Tenure tenure)
    {
        var early = false;
        lock (gate)
        {
            if (time.GetTimestamp() < tenure.Deadline)
            {
                early = true;
            }
        }
        if (early)
        {
            // Renewed since the timer was set (or the timer ran early): set it for the deadline that holds now.
            Arm(shard, tenure);
            return;
        }
        Drop(shard, tenure, $"its tenure ran out: no renewal succeeded within {options.Tenure} (the lease minus the clock skew margin)");
    }

    private bool IsCurrent(int shard, Tenure tenure)
    {
        lock (gate)
        {
            return held.TryGetValue(shard, out var current) && ReferenceEquals(current, tenure);
        }
    }

    /// <summary>Creates or confirms (compare-and-swap) the recorded shard count; false, and no shard taken, when it differs or the write lost a race.</summary>
    private async Task<bool> ConfirmShardCountAsync(CancellationToken cancellationToken)
    {
        try
        {
            var recorded = await WithTimeout(ct => store.ReadSettingAsync(ShardCountSetting, ct), cancellationToken);
            if (recorded is not null && recorded.Value != options.Shards)
            {
                var refusal = $"the lease table records {recorded.Value} shards, this replica was started with {options.Shards}";
                bool first;
                lock (gate)
                {
                    first = _refusal is null;
                    _refusal = refusal;
                }
                if (first)
                {
                    logger.LogError("{Identity} takes no shard: {Refusal}", Identity, refusal);
                }
                LoseAll(refusal);
                return false;
            }
            return await TryRecordShardCountAsync(recorded, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "{Identity} could not confirm the shard count", Identity);
            return false;
        }
    }

    private async Task<bool> TryRecordShardCountAsync(LeaseSetting? recorded, CancellationToken cancellationToken)
    {
        var next = new LeaseSetting(ShardCountSetting, options.Shards, (recorded?.Version ?? 0) + 1);
        var written = await WithTimeout(ct => store.TryWriteSettingAsync(next, recorded?.Version ?? 0, ct), cancellationToken);
        if (written)
        {
            lock (gate)
            {
                _refusal = null;
            }
        }
        return written;
    }

    /// <summary>Other replicas that heartbeat or hold a shard (with the skew margin: their clock may be behind ours).</summary>
    private List<string> LiveOthers(IEnumerable<Lease> rows)
    {
        var horizon = time.GetUtcNow() - options.ClockSkewMargin;
        return [.. rows
            .Where(r => (r.Name.StartsWith(MemberPrefix, StringComparison.Ordinal) || r.Name.StartsWith("shard-", StringComparison.Ordinal))
                && r.Holder.Length > 0 && r.Holder != Identity && r.ExpiresAt > horizon)
            .Select(r => r.Holder)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private void Drop(int shard, Tenure tenure, string reason)
    {
        lock (gate)
        {
            if (!held.TryGetValue(shard, out var current) || !ReferenceEquals(current, tenure))
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
        tenure.Fence?.Dispose();
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

    /// <summary>A held shard: its lease, the monotonic deadline of the right to work on it, the token that work runs under.</summary>
    private sealed class Tenure(Lease lease, long deadline)
    {
        public Lease Lease { get; set; } = lease;

        /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value: the start of the last successful write plus the tenure.</summary>
        public long Deadline { get; set; } = deadline;

        public CancellationTokenSource Source { get; } = new();

        public CancellationToken Token => Source.Token;

        public ITimer? Fence { get; set; }
    }
}
