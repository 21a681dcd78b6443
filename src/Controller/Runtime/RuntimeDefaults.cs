namespace Reconciler.Controller.Runtime;

/// <summary>
/// The one default of each runtime setting, used by every options type that offers it (<see cref="ControllerOptions"/>,
/// <see cref="WorkQueueOptions"/>, <see cref="InformerOptions{T}"/>, the pipeline controller's and the host's options)
/// and by <c>reconciler run</c>; the README's options table is tested against them.
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
}
