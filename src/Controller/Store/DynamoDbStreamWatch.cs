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
/// Versions: <c>t:&lt;unix ms&gt;</c> from a list (read every shard from its trim horizon, skipping records older
/// than the list, less a margin for the stream's coarse timestamps), or <c>s:&lt;shard positions&gt;</c> after an event.
/// </remarks>
internal sealed class DynamoDbStreamWatch(IDynamoDbStreamsClient streams, string streamArn, DynamoDbSpecStore store, TimeProvider clock, TimeSpan interval)
{
    private static readonly TimeSpan TimestampMargin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RediscoverEvery = TimeSpan.FromSeconds(30);
    private const int RecordsPerCall = 1000;

    private readonly Dictionary<string, string?> _positions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _iterators = new(StringComparer.Ordinal);

    public static string ListVersion(DateTimeOffset listedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"t:{listedAt.ToUnixTimeMilliseconds()}");

    public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DateTimeOffset? skipBefore = null;
        var startAtLatest = fromVersion is null;
        if (fromVersion is not null)
        {
            skipBefore = ParseVersion(fromVersion);
        }
        var shards = await DescribeAsync(cancellationToken);
        if (startAtLatest)
        {
            // "From now": shards already closed hold only the past.
            foreach (var shard in shards.Where(s => s.EndingSequenceNumber is not null))
            {
                _done.Add(shard.ShardId);
            }
        }
        var initialOpen = shards.Where(s => s.EndingSequenceNumber is null).Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
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
                var iterator = await IteratorAsync(shard.ShardId, startAtLatest && initialOpen.Contains(shard.ShardId), cancellationToken);
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
                    if (skipBefore is { } cutoff && record.ApproximateCreationDateTime is { } created && created < cutoff)
                    {
                        continue;
                    }
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

    private DateTimeOffset? ParseVersion(string version)
    {
        if (version.StartsWith("t:", StringComparison.Ordinal) && long.TryParse(version.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms) - TimestampMargin;
        }
        if (!version.StartsWith("s:", StringComparison.Ordinal))
        {
            throw new WatchExpiredException($"watch version '{version}' is not a DynamoDB Streams version of table {store.TableName}; relist");
        }
        foreach (var entry in version[2..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.EndsWith('!'))
            {
                _done.Add(entry[..^1]);
                continue;
            }
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new WatchExpiredException($"watch version '{version}' is malformed; relist");
            }
            _positions[entry[..equals]] = equals == entry.Length - 1 ? null : entry[(equals + 1)..];
        }
        return null;
    }

    private string Bookmark() =>
        "s:" + string.Join(',', _positions.Select(p => $"{p.Key}={p.Value}").Concat(_done.Select(d => $"{d}!")));

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

    private async Task<string?> IteratorAsync(string shardId, bool atLatest, CancellationToken cancellationToken)
    {
        if (_iterators.TryGetValue(shardId, out var iterator))
        {
            return iterator;
        }
        try
        {
            iterator = _positions.TryGetValue(shardId, out var position) && position is not null
                ? await streams.GetShardIteratorAsync(streamArn, shardId, "AFTER_SEQUENCE_NUMBER", position, cancellationToken)
                : await streams.GetShardIteratorAsync(streamArn, shardId, atLatest ? "LATEST" : "TRIM_HORIZON", null, cancellationToken);
        }
        catch (AwsTrimmedDataException e)
        {
            throw Trimmed(shardId, e);
        }
        _positions.TryAdd(shardId, null);
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
