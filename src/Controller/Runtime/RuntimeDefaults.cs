namespace Reconciler.Controller.Runtime;

/// <summary>
/// The one default of each runtime setting, used by every options type that offers it (<see cref="ControllerOptions"/>,
/// <see cref="WorkQueueOptions"/>, <see cref="InformerOptions{T}"/>, <see cref="LeaseOptions"/>, the pipeline
/// controller's, the reconciler's and the host's options) and by <c>reconciler run</c>; the README's options table is
/// tested against them. Each options type's <c>Validate</c> says which values are allowed.
/// </summary>
public static class RuntimeDefaults
{
    /// <summary>Keys reconciled at once; observation batches fill better with more.</summary>
    public const int Workers = 16;

    /// <summary>Shards the key space is split into between replicas.</summary>
    public const int Shards = 16;

    /// <summary>The most workers <c>run</c> accepts: each holds a spec's reconcile, its AWS calls and their sockets at once.</summary>
    public const int MaxWorkers = 1024;

    /// <summary>
    /// The most shards <c>run</c> accepts: replicas beyond the shard count stay idle, and a lone replica renews every
    /// shard's lease each renew interval (half of them at once with the default timings).
    /// </summary>
    public const int MaxShards = 256;

    /// <summary>How often every cached object is handed to the reconciler again (drift detection).</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(5);

    /// <summary>How long one reconcile or finalize may run before it is cancelled and retried.</summary>
    public static readonly TimeSpan ReconcileTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How long in-flight reconciles may take to finish on stop before they are cancelled.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The first retry delay of a failing key; doubles per consecutive failure.</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest a failing key waits between retries.</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromMinutes(5);

    /// <summary>Up to this fraction of each retry delay is taken off at random, to spread retries.</summary>
    public const double RetryJitter = 0.1;

    /// <summary>Objects per page when the informer lists the store.</summary>
    public const int ListPageSize = 500;

    /// <summary>Each resync period is moved by up to this fraction either way, so replicas do not resync together.</summary>
    public const double ResyncJitter = 0.1;

    /// <summary>The first wait after a failed list or watch; doubles up to <see cref="WatchRetryMaxDelay"/>.</summary>
    public static readonly TimeSpan WatchRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between list or watch attempts.</summary>
    public static readonly TimeSpan WatchRetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long a lease lasts unless renewed.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>How often held leases are renewed when all is well.</summary>
    public static readonly TimeSpan LeaseRenewInterval = TimeSpan.FromSeconds(5);

    /// <summary>How soon the lease loop tries again after a failure, or while shards are still wanted.</summary>
    public static readonly TimeSpan LeaseRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long one lease store call may take before it counts as failed.</summary>
    public static readonly TimeSpan LeaseOperationTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How far another replica's wall clock may run ahead: a shard's work stops this long before its lease expires.</summary>
    public static readonly TimeSpan LeaseClockSkewMargin = TimeSpan.FromSeconds(2);
}
