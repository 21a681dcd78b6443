namespace Reconciler.Controller.Runtime;

/// <summary>The ownership of a lone replica without leases: every key, always.</summary>
public sealed class AllShards : IShardOwnership
{
    public static AllShards Instance { get; } = new();

    public int ShardCount => 1;

    public bool TryGetTenure(int shard, out CancellationToken tenure)
    {
        tenure = CancellationToken.None;
        return true;
    }

    public void Subscribe(IShardListener listener)
    {
        // Nothing is ever acquired or lost.
    }
}
