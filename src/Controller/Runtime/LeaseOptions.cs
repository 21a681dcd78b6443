namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="LeaseCoordinator"/>: how the key space is sharded and how leases are kept.</summary>
/// <param name="Shards">How many shards the key space is split into (default 16); every replica must agree, and the lease table records it.</param>
/// <param name="LeaseDuration">How long a lease lasts unless renewed (default 15 s).</param>
/// <param name="RenewInterval">How often held leases are renewed when all is well (default 5 s), counted from the start of a round.</param>
/// <param name="RetryInterval">How soon to try again after a failure, or while shards are still wanted (default 2 s).</param>
/// <param name="OperationTimeout">How long one store call may take before it counts as failed (default 2 s).</param>
/// <param name="ClockSkewMargin">
/// How far another replica's wall clock may run ahead of ours (default 2 s): our right to a shard ends this long before
/// the lease's expiry, counted on our monotonic clock from the start of the last successful renewal.
/// </param>
/// <param name="RenewConcurrency">
/// How many renewals run at once (default: enough that every shard's renewal fits in one renew interval even when each
/// store call takes the whole operation timeout).
/// </param>
public sealed record LeaseOptions(
    int Shards = RuntimeDefaults.Shards,
    TimeSpan? LeaseDuration = null,
    TimeSpan? RenewInterval = null,
    TimeSpan? RetryInterval = null,
    TimeSpan? OperationTimeout = null,
    TimeSpan? ClockSkewMargin = null,
    int? RenewConcurrency = null)
{
    public TimeSpan EffectiveLeaseDuration => LeaseDuration ?? TimeSpan.FromSeconds(15);

    public TimeSpan EffectiveRenewInterval => RenewInterval ?? TimeSpan.FromSeconds(5);

    public TimeSpan EffectiveRetryInterval => RetryInterval ?? TimeSpan.FromSeconds(2);

    public TimeSpan EffectiveOperationTimeout => OperationTimeout ?? TimeSpan.FromSeconds(2);

    public TimeSpan EffectiveClockSkewMargin => ClockSkewMargin ?? TimeSpan.FromSeconds(2);

    /// <summary>How long after the start of a successful renewal (or acquisition) this replica may still work on the shard.</summary>
    public TimeSpan Tenure => EffectiveLeaseDuration - EffectiveClockSkewMargin;

    /// <summary>Renewals at once: with this many, ⌈shards ÷ it⌉ batches of at most one operation timeout each fit in a renew interval.</summary>
    public int EffectiveRenewConcurrency
    {
        get
        {
            if (RenewConcurrency is { } configured)
            {
                return configured;
            }
            var batches = Math.Max(1, (int)(EffectiveRenewInterval / EffectiveOperationTimeout));
            return Math.Clamp((Shards + batches - 1) / batches, 1, Math.Max(1, Shards));
        }
    }

    /// <exception cref="ArgumentException">The settings cannot keep the promise that work stops before a lease can expire for others.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Shards, 1, nameof(Shards));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Shards, RuntimeDefaults.MaxShards, nameof(Shards));
        if (RenewConcurrency is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RenewConcurrency), RenewConcurrency, "at least 1 renewal must run at a time");
        }
        if (EffectiveClockSkewMargin < TimeSpan.Zero || EffectiveOperationTimeout <= TimeSpan.Zero || EffectiveRenewInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("the clock skew margin, operation timeout and renew interval must be positive");
        }
        // A round must come round while the tenure still runs, or every shard would be fenced between two renewals.
        if (EffectiveRenewInterval >= Tenure || EffectiveOperationTimeout >= Tenure)
        {
            throw new ArgumentException(
                $"lease duration {EffectiveLeaseDuration} minus the clock skew margin {EffectiveClockSkewMargin} must exceed both the renew interval {EffectiveRenewInterval} and the operation timeout {EffectiveOperationTimeout}");
        }
    }
}
