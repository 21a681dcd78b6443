using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>
/// The Streams watch's shard logic. No local endpoint serves DynamoDB Streams (dynalite has none, LocalCloud does
/// not emulate it), so a scripted stream, written to as the test goes, stands in for the service here.
/// </summary>
public sealed class DynamoDbStreamWatchTests : IDisposable
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:111122223333:table/specs/stream/1";
    private readonly AmazonDynamoDBClient _unused = new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" });
    private readonly DynamoDbSpecStore _store;

    public DynamoDbStreamWatchTests() => _store = new DynamoDbSpecStore(_unused, new DynamoDbStoreOptions { TableName = "specs" });

    public void Dispose() => _unused.Dispose();

    private DynamoDbStreamWatch Watch(ScriptedStream stream, TimeProvider? clock = null) =>
        new(stream, Arn, _store, clock ?? TimeProvider.System, TimeSpan.FromMilliseconds(10));

    private Task<string> ListAsync(ScriptedStream stream) => DynamoDbStreamWatch.MarkListAsync(stream, Arn, _store.StreamMarks, CancellationToken.None);

    [Fact]
    public async Task Reads_parents_before_children_refreshes_an_expired_iterator_and_skips_a_malformed_record()
    {
        var stream = new ScriptedStream();
        stream.Shard("parent", parent: null);
        var listed = await ListAsync(stream);
        stream.Append("parent", Change("INSERT", "100", Version(1)), Malformed("150"), Change("MODIFY", "200", Version(2)));
        stream.Close("parent");
        // The child is listed first: the watch must still finish the parent before reading it.
        stream.Shard("child", parent: "parent", first: true);
        stream.Append("child", Change("MODIFY", "300", Version(3)));
        stream.ExpireOnce("child");

        var seen = await ReadAsync(Watch(stream), listed, count: 3);

        Assert.Equal(["1", "2", "3"], seen.Select(e => e.Object.Metadata.ResourceVersion));
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Modified], seen.Select(e => e.Type));
        Assert.Equal(1, _store.Telemetry.MalformedItemsSkipped);
        Assert.Equal(2, stream.IteratorRequests.Count(r => r.StartsWith("child ", StringComparison.Ordinal)));

        // Resuming from the second event's version delivers only what came after it.
        var resumed = await ReadAsync(Watch(stream), seen[1].Version, count: 1);
        Assert.Equal("3", resumed.Single().Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Trimmed_data_is_a_relist_signal()
    {
        var stream = new ScriptedStream();
        stream.Shard("only", parent: null);
        var listed = await ListAsync(stream);
        stream.Append("only", Change("INSERT", "100", Version(1)));
        stream.TrimmedShards.Add("only");
        await Assert.ThrowsAsync<WatchExpiredException>(() => ReadAsync(Watch(stream), $"s:{listed[2..]};only=50", count: 1));
        await Assert.ThrowsAsync<WatchExpiredException>(() => ReadAsync(Watch(stream), "t:0", count: 1));
    }

    /// <summary>Issue 11, item 5: no cut-off by the local clock, no replay of what the last list read, on a relist or a resume.</summary>
    [Theory]
    [InlineData(-5)]
    [InlineData(5)]
    public async Task A_watch_with_a_clock_hours_off_delivers_exactly_what_came_after_the_list_and_a_resume_replays_nothing_older(int skewHours)
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now.AddHours(skewHours));
        var stream = new ScriptedStream();
        // A day of history: a closed shard, and two open ones with records from before the list.
        stream.Shard("yesterday", parent: null);
        stream.Append("yesterday", Change("INSERT", "10", Version(1), now.AddHours(-20)));
        stream.Close("yesterday");
        stream.Shard("live", parent: "yesterday");
        stream.Append("live", Change("MODIFY", "20", Version(2), now.AddHours(-2)));
        stream.Shard("quiet", parent: null);
        stream.Append("quiet", Change("MODIFY", "30", Version(3), now.AddMinutes(-1)));

        var listed = await ListAsync(stream);
        stream.Append("live", Change("MODIFY", "40", Version(4), now));

        var first = Assert.Single(await ReadAsync(Watch(stream, clock), listed, count: 1));
        Assert.Equal("4", first.Object.Metadata.ResourceVersion);

        // Resumed: "quiet" has no position since the list, and must not be read from its trim horizon.
        stream.Append("live", Change("MODIFY", "50", Version(5), now.AddSeconds(1)));
        var resumed = Assert.Single(await ReadAsync(Watch(stream, clock), first.Version, count: 1));
        Assert.Equal("5", resumed.Object.Metadata.ResourceVersion);
        Assert.DoesNotContain(stream.IteratorRequests, r => r.EndsWith("TRIM_HORIZON", StringComparison.Ordinal));
    }

    private static async Task<List<WatchEvent<PulumiPipeline>>> ReadAsync(DynamoDbStreamWatch watch, string? from, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<WatchEvent<PulumiPipeline>>();
        await foreach (var change in watch.WatchAsync(from, timeout.Token))
        {
            events.Add(change);
            if (events.Count == count)
            {
                break;
            }
        }
        return events;
    }

    private static PulumiPipeline Version(int rv) => Pipeline("website") with
    {
        Metadata = new ObjectMeta { Name = "website", Uid = "u-1", Generation = 1, ResourceVersion = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static StreamChange Change(string eventName, string sequence, PulumiPipeline document, DateTimeOffset? created = null) =>
        new(eventName, sequence, created, DynamoDbItemCodec.Key("website"), DynamoDbItemCodec.ToItem(document), null);

    private static StreamChange Malformed(string sequence) =>
        new("MODIFY", sequence, null, DynamoDbItemCodec.Key("website"),
            new Dictionary<string, AttributeValue> { ["name"] = new() { S = "website" }, ["metadata"] = new() { S = "by hand" } }, null);

    /// <summary>A stream whose shards and records the test writes as it goes; iterators are "shard|index".</summary>
    private sealed class ScriptedStream : IDynamoDbStreamsClient
    {
        private readonly List<(string Id, string? Parent)> _shards = [];
        private readonly Dictionary<string, (List<StreamChange> Records, bool Closed)> _data = [];
        private readonly HashSet<string> _expireOnce = [];

        public HashSet<string> TrimmedShards { get; } = [];

        /// <summary>Every iterator asked for, as "shard type".</summary>
        public List<string> IteratorRequests { get; } = [];

        public void Shard(string id, string? parent, bool first = false)
        {
            _shards.Insert(first ? 0 : _shards.Count, (id, parent));
            _data[id] = ([], false);
        }

        public void Append(string shard, params StreamChange[] records) => _data[shard].Records.AddRange(records);

        public void Close(string shard) => _data[shard] = (_data[shard].Records, true);

        public void ExpireOnce(string shard) => _expireOnce.Add(shard);

        public Task<IReadOnlyList<StreamSummary>> ListStreamsAsync(string tableName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StreamSummary>>([new StreamSummary(Arn, tableName, "1")]);

        public Task<StreamInfo> DescribeStreamAsync(string streamArn, CancellationToken cancellationToken) =>
            Task.FromResult(new StreamInfo(streamArn, "ENABLED", "NEW_AND_OLD_IMAGES", [.. _shards.Select(s =>
            {
                var (records, closed) = _data[s.Id];
                return new StreamShard(s.Id, s.Parent, records.FirstOrDefault()?.SequenceNumber ?? "0", closed ? records.LastOrDefault()?.SequenceNumber ?? "0" : null);
            })]));

        public Task<string?> GetShardIteratorAsync(string streamArn, string shardId, string iteratorType, string? sequenceNumber, CancellationToken cancellationToken)
        {
            IteratorRequests.Add($"{shardId} {iteratorType}");
            if (TrimmedShards.Contains(shardId))
            {
                throw new AwsTrimmedDataException("dynamodb", "GetShardIterator", "TrimmedDataAccessException", "trimmed", null, 400);
            }
            var records = _data[shardId].Records;
            var index = iteratorType switch
            {
                "TRIM_HORIZON" => 0,
                "LATEST" => records.Count,
                _ => records.FindIndex(r => r.SequenceNumber == sequenceNumber) + 1,
            };
            return Task.FromResult<string?>($"{shardId}|{index}");
        }

        public Task<StreamRecordsPage> GetRecordsAsync(string shardIterator, int? limit, CancellationToken cancellationToken)
        {
            var shard = shardIterator[..shardIterator.IndexOf('|', StringComparison.Ordinal)];
            if (_expireOnce.Remove(shard))
            {
                throw new AwsExpiredIteratorException("dynamodb", "GetRecords", "ExpiredIteratorException", "expired", null, 400);
            }
            if (TrimmedShards.Contains(shard))
            {
                throw new AwsTrimmedDataException("dynamodb", "GetRecords", "TrimmedDataAccessException", "trimmed", null, 400);
            }
            var index = int.Parse(shardIterator[(shard.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var (records, closed) = _data[shard];
            var page = records.Skip(index).ToList();
            return Task.FromResult(new StreamRecordsPage(page, closed ? null : $"{shard}|{records.Count}"));
        }
    }
}
