using System.Text;

namespace Reconciler.Controller.Runtime;

/// <summary>Maps a key to a shard by 32-bit FNV-1a of its UTF-8 bytes: stable across processes, versions and machines.</summary>
/// <remarks><c>string.GetHashCode</c> is randomized per process, so two replicas would disagree on who owns a key.</remarks>
public static class ShardHasher
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Fnv1a(string key)
    {
        var hash = OffsetBasis;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(key) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(key, buffer)] : Encoding.UTF8.GetBytes(key);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }

    public static int ShardOf(string key, int shardCount) => (int)(Fnv1a(key) % (uint)shardCount);
}
