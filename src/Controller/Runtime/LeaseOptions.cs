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

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Shards, 1, $"{nameof(LeaseOptions)}.{nameof(Shards)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RenewInterval, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(RenewInterval)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, RenewInterval, $"{nameof(LeaseOptions)}.{nameof(LeaseDuration)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryInterval, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(RetryInterval)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, $"{nameof(LeaseOptions)}.{nameof(OperationTimeout)}");
    }
}
