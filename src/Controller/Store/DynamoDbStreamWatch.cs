using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// Watch through DynamoDB Streams: discovers shards, reads a parent shard to its end before its children (so a
/// key's changes stay in order), refreshes expired iterators from the last sequence number read, and turns
/// trimmed data into <see cref="WatchExpiredException"/> so the informer relists.
/// </summary>
/// <remarks>
/// Versions: <c>l:&lt;mark&gt;</c> from a list (every open shard from a LATEST iterator taken before the list's scan,
/// see <see cref="StreamListMarks"/>), or <c>s:&lt;mark&gt;;&lt;shard positions&gt;</c> after an event: a shard with a
/// sequence number resumes after it, one without resumes at the list's mark, one born after the list (<c>^</c>) from
/// its trim horizon. Nothing depends on the local clock or on the stream's record times, and nothing is replayed
/// from before the last list: a mark this process no longer holds means relist.
/// </remarks>
internal sealed class DynamoDbStreamWatch(IDynamoDbStreamsClient streams, string streamArn, DynamoDbSpecStore store, TimeProvider clock, TimeSpan interval)
{
    private const string FromHorizon = "^";
    private static readonly TimeSpan RediscoverEvery = TimeSpan.FromSeconds(30);
    private const int RecordsPerCall = 1000;

    private readonly Dictionary<string, string?> _positions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _iterators = new(StringComparer.Ordinal);
    private readonly HashSet<string> _markUsed = new(StringComparer.Ordinal);
    private StreamListMark? _mark;
    private string _markId = "";

    /// <summary>Marks where every shard stands now (before a list reads the table); answers the list's version.</summary>
    public static async Task<string> MarkListAsync(IDynamoDbStreamsClient streams, string streamArn, StreamListMarks marks, CancellationToken cancellationToken)
    {
        var info = await streams.DescribeStreamAsync(streamArn, cancellationToken);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var shard in info.Shards)
        {
            if (shard.EndingSequenceNumber is not null)
            {
                // Closed before the list: everything in it is in what the list reads.
                closed.Add(shard.ShardId);
            }
            else
            {
                latest[shard.ShardId] = await streams.GetShardIteratorAsync(streamArn, shard.ShardId, "LATEST", null, cancellationToken);
            }
        }
        return "l:" + marks.Add(new StreamListMark(closed, latest));
    }

    public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // "From now" is a list mark taken now, without the list.
        ParseVersion(fromVersion ?? await MarkListAsync(streams, streamArn, store.StreamMarks, cancellationToken));
        var shards = await DescribeAsync(cancellationToken);
        var described = clock.GetUtcNow();
        while (true)
        {
            if (clock.GetUtcNow() - described > RediscoverEvery)
            {
                shards = await DescribeAsync(cancellationToken);
                described = clock.GetUtcNow();
            }
            var read = 0;
            var shardClosed = false;
            var known = shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
            foreach (var shard in shards)
            {
                // Parents first: a child waits until its parent is read to the end (or trimmed out of the stream).
                if (_done.Contains(shard.ShardId) || (shard.ParentShardId is { } parent && known.Contains(parent) && !_done.Contains(parent)))
                {
                    continue;
                }
                var iterator = await IteratorAsync(shard.ShardId, cancellationToken);
                if (iterator is null)
                {
                    MarkDone(shard.ShardId);
                    shardClosed = true;
                    continue;
                }
                StreamRecordsPage page;
                try
                {
                    page = await streams.GetRecordsAsync(iterator, RecordsPerCall, cancellationToken);
                }
                catch (AwsExpiredIteratorException)
                {
                    _iterators.Remove(shard.ShardId);
                    StoreTelemetry.LogIteratorRefreshed(store.Telemetry.Logger, "dynamodb", shard.ShardId);
                    continue;
                }
                catch (AwsTrimmedDataException e)
                {
                    throw Trimmed(shard.ShardId, e);
                }
                foreach (var record in page.Records)
                {
                    _positions[shard.ShardId] = record.SequenceNumber;
                    read++;
                    if (ToEvent(record) is { } change)
                    {
                        yield return change with { Version = Bookmark() };
                    }
                }
                if (page.NextShardIterator is null)
                {
                    MarkDone(shard.ShardId);
                    shardClosed = true;
                }
                else
                {
                    _iterators[shard.ShardId] = page.NextShardIterator;
                }
            }
            if (shardClosed)
            {
                shards = await DescribeAsync(cancellationToken);
                described = clock.GetUtcNow();
            }
            else if (read == 0)
            {
                await Task.Delay(interval, clock, cancellationToken);
            }
        }
    }

    private void ParseVersion(string version)
    {
        var body = version.StartsWith("l:", StringComparison.Ordinal) ? version[2..] + ";"
            : version.StartsWith("s:", StringComparison.Ordinal) ? version[2..]
            : throw new WatchExpiredException($"watch version '{version}' is not a DynamoDB Streams version of table {store.TableName}; relist");
        var separator = body.IndexOf(';', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new WatchExpiredException($"watch version '{version}' is malformed; relist");
        }
        _markId = body[..separator];
        _mark = store.StreamMarks.TryGet(_markId) ?? throw new WatchExpiredException(
            $"watch version '{version}' names a list this process's watch of table {store.TableName} no longer remembers; relist");
        _done.UnionWith(_mark.Closed);
        foreach (var shard in _mark.LatestIterators.Keys)
        {
            _positions[shard] = null;
        }
        foreach (var entry in body[(separator + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.EndsWith('!'))
            {
                _done.Add(entry[..^1]);
                _positions.Remove(entry[..^1]);
                continue;
            }
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new WatchExpiredException($"watch version '{version}' is malformed; relist");
            }
            _positions[entry[..equals]] = equals == entry.Length - 1 ? null : entry[(equals + 1)..];
        }
    }

    private string Bookmark() =>
        $"s:{_markId};" + string.Join(',', _positions.Select(p => $"{p.Key}={p.Value}").Concat(_done.Select(d => $"{d}!")));

    private async Task<IReadOnlyList<StreamShard>> DescribeAsync(CancellationToken cancellationToken)
    {
        var info = await streams.DescribeStreamAsync(streamArn, cancellationToken);
        var present = info.Shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        var lost = _positions.Keys.Where(id => !present.Contains(id) && !_done.Contains(id)).ToList();
        if (lost.Count > 0)
        {
            throw new WatchExpiredException($"the stream of table {store.TableName} no longer has shard {lost[0]} that this watch had not finished; relist");
        }
        // Done shards that left the stream need not be remembered: their children treat a missing parent as done.
        _done.RemoveWhere(id => !present.Contains(id));
        return info.Shards;
    }

    private async Task<string?> IteratorAsync(string shardId, CancellationToken cancellationToken)
    {
        if (_iterators.TryGetValue(shardId, out var iterator))
        {
            return iterator;
        }
        try
        {
            var position = _positions.GetValueOrDefault(shardId);
            if (position is not null && position != FromHorizon)
            {
                iterator = await streams.GetShardIteratorAsync(streamArn, shardId, "AFTER_SEQUENCE_NUMBER", position, cancellationToken);
            }
            else if (position == FromHorizon || !_mark!.LatestIterators.ContainsKey(shardId))
            {
                // Born after the list (a child of a shard open then): all of it is newer than the list.
                iterator = await streams.GetShardIteratorAsync(streamArn, shardId, "TRIM_HORIZON", null, cancellationToken);
                _positions[shardId] = FromHorizon;
            }
            else if (_markUsed.Add(shardId) && _mark.LatestIterators[shardId] is { } latest)
            {
                // Open at the list and nothing read from it since: from where it stood then.
                iterator = latest;
                _positions[shardId] = null;
            }
            else
            {
                // The list's iterator expired before a record came: going on would mean replaying the shard.
                throw new WatchExpiredException($"shard {shardId} of the stream of table {store.TableName} has no position read since the list and its list iterator expired; relist");
            }
        }
        catch (AwsTrimmedDataException e)
        {
            throw Trimmed(shardId, e);
        }
        if (iterator is not null)
        {
            _iterators[shardId] = iterator;
        }
        return iterator;
    }

    private void MarkDone(string shardId)
    {
        _done.Add(shardId);
        _positions.Remove(shardId);
        _iterators.Remove(shardId);
    }

    private WatchEvent<PulumiPipeline>? ToEvent(StreamChange record)
    {
        var (type, image) = record.EventName switch
        {
            "INSERT" => (WatchEventType.Added, record.NewImage),
            "MODIFY" => (WatchEventType.Modified, record.NewImage),
            "REMOVE" => (WatchEventType.Deleted, record.OldImage),
            _ => (WatchEventType.Modified, null),
        };
        if (image is null)
        {
            store.Telemetry.ReportMalformed($"stream record {record.SequenceNumber} of table {store.TableName}",
                new StoreInvalidDocumentException($"stream record {record.SequenceNumber} ({record.EventName}) carries no image; is the stream NEW_AND_OLD_IMAGES?"));
            return null;
        }
        return store.TryRead(image) is { } document ? new WatchEvent<PulumiPipeline>(type, document, null) : null;
    }

    private WatchExpiredException Trimmed(string shardId, Exception inner) =>
        new($"the stream of table {store.TableName} trimmed records of shard {shardId} this watch had not read; relist", inner);
}
