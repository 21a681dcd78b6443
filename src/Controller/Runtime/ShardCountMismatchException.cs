namespace Reconciler.Controller.Runtime;

/// <summary>The lease table records another shard count than this replica's, and replicas working with it are alive.</summary>
public sealed class ShardCountMismatchException(long recorded, int configured, IReadOnlyList<string> liveReplicas)
    : Exception($"the lease table records {recorded} shards, this replica was configured with {configured}; live replicas use {recorded}: {string.Join(", ", liveReplicas)}")
{
    /// <summary>The count the lease table records.</summary>
    public long Recorded { get; } = recorded;

    /// <summary>The count this replica was started with.</summary>
    public int Configured { get; } = configured;

    /// <summary>Who still works with <see cref="Recorded"/> (membership heartbeats or held shard leases).</summary>
    public IReadOnlyList<string> LiveReplicas { get; } = liveReplicas;
}
