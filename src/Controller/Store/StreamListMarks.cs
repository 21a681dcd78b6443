using System.Collections.Concurrent;

namespace Reconciler.Controller.Store;

/// <summary>
/// Where each shard of a stream stood when a list was read: a <c>LATEST</c> iterator per open shard, taken before
/// the list's scan, and the shards already closed. A watch from that list starts there, so it never re-delivers
/// what the list already read, whatever the local clock says. Kept in this process only, the last few of them.
/// </summary>
internal sealed class StreamListMarks(int capacity)
{
    private readonly ConcurrentDictionary<string, StreamListMark> _marks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public string Add(StreamListMark mark)
    {
        var id = Guid.NewGuid().ToString("N")[..16];
        _marks[id] = mark;
        _order.Enqueue(id);
        while (_order.Count > Math.Max(capacity, 2) && _order.TryDequeue(out var oldest))
        {
            _marks.TryRemove(oldest, out _);
        }
        return id;
    }

    public StreamListMark? TryGet(string id) => _marks.GetValueOrDefault(id);
}

/// <summary>The shards closed at a list, and a LATEST iterator for each one open then.</summary>
internal sealed record StreamListMark(IReadOnlySet<string> Closed, IReadOnlyDictionary<string, string?> LatestIterators);
