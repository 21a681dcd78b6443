namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="LeaseCoordinator"/> and a <see cref="NamedLease"/>: how the key space is sharded and how leases are kept; defaults from <see cref="RuntimeDefaults"/>.</summary>
public sealed record LeaseOptions
{
    /// <summary>How many shards the key space is split into; every replica must agree (at least 1; default <see cref="RuntimeDefaults.Shards"/>).</summary>
    public int Shards { get; init; } = RuntimeDefaults.Shards;

    /// <summary>How long a lease lasts unless renewed (longer than <see cref="RenewInterval"/>; default <see cref="RuntimeDefaults.LeaseDuration"/>).</summary>
    public TimeSpan LeaseDuration { get; init; } = RuntimeDefaults.LeaseDuration;

    /// <summary>How often held leases are renewed when all is well (positive; default <see cref="RuntimeDefaults.LeaseRenewInterval"/>).</summary>
    public TimeSpan RenewInterval { get; init; } = RuntimeDefaults.LeaseRenewInterval;

    /// <summary>How soon to try again after a failure, or while shards are still wanted (positive; default <see cref="RuntimeDefaults.LeaseRetryInterval"/>).</summary>
    public TimeSpan RetryInterval { get; init; } = RuntimeDefaults.LeaseRetryInterval;

    /// <summary>How long one store call may take before it counts as failed (positive; default <see cref="RuntimeDefaults.LeaseOperationTimeout"/>).</summary>
    public TimeSpan OperationTimeout { get; init; } = RuntimeDefaults.LeaseOperationTimeout;

    /// <summary>
    /// How far another replica's wall clock may run ahead of ours (at least zero, less than <see cref="LeaseDuration"/>;
    /// default <see cref="RuntimeDefaults.LeaseClockSkewMargin"/>): the right to a shard ends this long before the lease's
    /// expiry, counted on the monotonic clock from the start of the last successful renewal.
    /// </summary>
    public TimeSpan ClockSkewMargin { get; init; } = RuntimeDefaults.LeaseClockSkewMargin;

    /// <summary>How many renewals run at once (at least 1); null: <see cref="ConcurrentRenewals"/> picks enough to fit a renew interval.</summary>
    public int? RenewConcurrency { get; init; }

    /// <summary>How long after the start of a successful renewal (or acquisition) this replica may still work on the shard.</summary>
    public TimeSpan Tenure => LeaseDuration - ClockSkewMargin;

    /// <summary>Renewals at once: <see cref="RenewConcurrency"/>, else enough that ⌈shards ÷ it⌉ batches of one operation timeout each fit in a renew interval.</summary>
    public int ConcurrentRenewals
    {
        get
        {
            if (RenewConcurrency is { } configured)
            {
                return configured;
            }
            var batches = Math.Max(1, (int)(RenewInterval / OperationTimeout));
            return Math.Clamp((Shards + batches - 1) / batches, 1, Math.Max(1, Shards));
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Shards, 1, $"{nameof(LeaseOptions)}.{nameof(Shards)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RenewInterval, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(RenewInterval)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, RenewInterval, $"{nameof(LeaseOptions)}.{nameof(LeaseDuration)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryInterval, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(RetryInterval)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(OperationTimeout)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Shards, RuntimeDefaults.MaxShards, $"{nameof(LeaseOptions)}.{nameof(Shards)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkewMargin, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(ClockSkewMargin)}");
        if (RenewConcurrency is { } concurrency)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1, $"{nameof(LeaseOptions)}.{nameof(RenewConcurrency)}");
        }
        // A round must come round while the tenure still runs, or every shard would be fenced between two renewals.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Tenure, RenewInterval, $"{nameof(LeaseOptions)}.{nameof(ClockSkewMargin)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Tenure, OperationTimeout, $"{nameof(LeaseOptions)}.{nameof(OperationTimeout)}");
    }
}
