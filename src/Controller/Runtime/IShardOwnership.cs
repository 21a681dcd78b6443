namespace Reconciler.Controller.Runtime;

/// <summary>Which shards of the key space this replica may work on right now, and word when that changes.</summary>
public interface IShardOwnership
{
    int ShardCount { get; }

    /// <summary>A token for the shard's current tenure: cancelled the moment the shard is lost. False when not held.</summary>
    bool TryGetTenure(int shard, out CancellationToken tenure);

    /// <summary>Called after a shard is acquired (so its keys can be enqueued) and after one is lost.</summary>
    void Subscribe(IShardListener listener);
}
