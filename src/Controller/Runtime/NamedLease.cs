using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reconciler.Controller.Runtime;

/// <summary>
/// One named lease in the same <see cref="ILeaseStore"/> as the shard leases (row <c>lease/&lt;name&gt;</c>), for work that one
/// replica at a time must do, such as the GitOps syncer. Same rules as a shard: compare-and-swap writes, and the tenure
/// token is cancelled as soon as a renewal fails, or by a timer when the tenure (lease minus the clock skew margin,
/// on the monotonic clock from the start of the last successful write) runs out.
/// </summary>
public sealed class NamedLease : IDisposable
{
    public const string Prefix = "lease/";

    private readonly ILeaseStore store;
    private readonly LeaseOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private (Lease Lease, CancellationTokenSource Source)? held;
    private long _deadline;
    private ITimer? _fence;

    public NamedLease(ILeaseStore store, string name, string identity, LeaseOptions? options = null, TimeProvider? timeProvider = null, ILogger<NamedLease>? logger = null)
    {
        this.store = store;
        Name = Prefix + name;
        Identity = identity;
        this.options = options ?? new LeaseOptions();
        this.options.Validate();
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<NamedLease>.Instance;
    }

    /// <summary>The row key, <c>lease/&lt;name&gt;</c>.</summary>
    public string Name { get; }

    public string Identity { get; }

    /// <summary>How soon a replica without the lease tries again.</summary>
    public TimeSpan RetryInterval => options.RetryInterval;

    /// <summary>True, with a token cancelled when the lease is lost, while this replica holds the lease with time to spare.</summary>
    public bool TryGetTenure(out CancellationToken tenure)
    {
        lock (gate)
        {
            // By the monotonic clock, as a shard's tenure: the wall clock may be stepped.
            if (held is { } current && time.GetTimestamp() < _deadline)
            {
                tenure = current.Source.Token;
                return true;
            }
        }
        Lose("its lease is about to expire unrenewed");
        tenure = CancellationToken.None;
        return false;
    }

    public bool IsHeld => TryGetTenure(out _);

    /// <summary>Renews the lease when held, takes it when free or expired; true when held afterwards.</summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.OperationTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var row = (await store.ListAsync(linked.Token).WaitAsync(linked.Token)).FirstOrDefault(r => r.Name == Name);
            var now = time.GetUtcNow();
            Lease? mine;
            lock (gate)
            {
                mine = held?.Lease;
            }
            if (row is not null && row.IsHeldAt(now) && row.Holder != Identity)
            {
                Lose($"{row.Holder} holds it");
                return false;
            }
            if (mine is not null && (row is null || row.Version != mine.Version))
            {
                Lose("the lease row changed under it");
            }
            var started = time.GetTimestamp();
            var next = new Lease(Name, Identity, time.GetUtcNow() + options.LeaseDuration, (row?.Version ?? 0) + 1);
            if (!await store.TryWriteAsync(next, row?.Version ?? 0, linked.Token).WaitAsync(linked.Token))
            {
                Lose("another replica wrote it first");
                return false;
            }
            bool renewed;
            lock (gate)
            {
                renewed = held is { } current && mine is not null && current.Lease.Version == mine.Version;
                held = renewed ? (next, held!.Value.Source) : (next, new CancellationTokenSource());
                // The right to work ends the tenure after the request's start, whenever the store applied it.
                _deadline = started + (long)(options.Tenure.TotalSeconds * time.TimestampFrequency);
                _fence ??= time.CreateTimer(_ => Fence(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            Arm();
            if (!renewed)
            {
                logger.LogInformation("{Identity} acquired {Lease}", Identity, Name);
            }
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "{Identity} could not renew or take {Lease}", Identity, Name);
            Lose("the lease table could not be read or written");
            return false;
        }
    }

    /// <summary>Ticks until cancelled: every renew interval while held, every retry interval otherwise.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var holding = await TickAsync(cancellationToken);
                await Task.Delay(holding ? options.RenewInterval : options.RetryInterval, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Stops the work and hands the lease back so another replica takes it at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Lease? lease;
        lock (gate)
        {
            lease = held?.Lease;
        }
        Lose("released");
        if (lease is null)
        {
            return;
        }
        try
        {
            await store.TryWriteAsync(lease with { Holder = "", ExpiresAt = time.GetUtcNow(), Version = lease.Version + 1 }, lease.Version, cancellationToken);
        }
        catch (Exception ex)
        {
            // Not released is still safe: it expires by itself, and the work under it has stopped.
            logger.LogWarning(ex, "{Identity} could not release {Lease}", Identity, Name);
        }
    }

    public void Dispose()
    {
        Lose("disposed");
        _fence?.Dispose();
    }

    private void Arm()
    {
        ITimer? fence;
        long deadline;
        lock (gate)
        {
            fence = _fence;
            deadline = _deadline;
        }
        var remaining = TimeSpan.FromTicks((long)Math.Ceiling(Math.Max(0, deadline - time.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / time.TimestampFrequency));
        try
        {
            fence?.Change(remaining, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nothing left to fence.
        }
    }

    private void Fence()
    {
        bool early;
        lock (gate)
        {
            if (held is null)
            {
                return;
            }
            early = time.GetTimestamp() < _deadline;
        }
        if (early)
        {
            Arm();
            return;
        }
        Lose("its tenure ran out unrenewed");
    }

    private void Lose(string reason)
    {
        CancellationTokenSource? source;
        lock (gate)
        {
            source = held?.Source;
            held = null;
        }
        if (source is not null)
        {
            logger.LogWarning("{Identity} lost {Lease}: {Reason}", Identity, Name, reason);
            // Cancelled, never disposed: work in flight holds linked tokens of it.
            source.Cancel();
        }
    }
}
