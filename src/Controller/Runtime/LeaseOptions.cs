namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="LeaseCoordinator"/>: how the key space is sharded and how leases are kept.</summary>
/// <param name="Shards">How many shards the key space is split into (default 16); every replica must agree.</param>
/// <param name="LeaseDuration">How long a lease lasts unless renewed (default 15 s).</param>
/// <param name="RenewInterval">How often held leases are renewed when all is well (default 5 s).</param>
/// <param name="RetryInterval">How soon to try again after a failure, or while shards are still wanted (default 2 s).</param>
/// <param name="OperationTimeout">How long one store call may take before it counts as failed (default 2 s).</param>
public sealed record LeaseOptions(
    int Shards = RuntimeDefaults.Shards,
    TimeSpan? LeaseDuration = null,
    TimeSpan? RenewInterval = null,
    TimeSpan? RetryInterval = null,
    TimeSpan? OperationTimeout = null)
{
    public TimeSpan EffectiveLeaseDuration => LeaseDuration ?? TimeSpan.FromSeconds(15);

    public TimeSpan EffectiveRenewInterval => RenewInterval ?? TimeSpan.FromSeconds(5);

    public TimeSpan EffectiveRetryInterval => RetryInterval ?? TimeSpan.FromSeconds(2);

    public TimeSpan EffectiveOperationTimeout => OperationTimeout ?? TimeSpan.FromSeconds(2);
}
