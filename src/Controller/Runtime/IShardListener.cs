namespace Reconciler.Controller.Runtime;

/// <summary>Hears about shards being acquired and lost.</summary>
public interface IShardListener
{
    void ShardAcquired(int shard);

    void ShardLost(int shard);
}
