using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>
/// The Streams watch's shard logic. No local endpoint serves DynamoDB Streams (dynalite has none, LocalCloud does
/// not emulate it), so a scripted stream stands in for the service here; the rest of the store runs for real.
/// </summary>
public sealed class DynamoDbStreamWatchTests : IDisposable
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:111122223333:table/specs/stream/1";
    private readonly AmazonDynamoDBClient _unused = new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" });
    private readonly DynamoDbSpecStore _store;

    public DynamoDbStreamWatchTests() => _store = new DynamoDbSpecStore(_unused, new DynamoDbStoreOptions { TableName = "specs" });

    public void Dispose() => _unused.Dispose();

    private DynamoDbStreamWatch Watch(ScriptedStream stream) => new(stream, Arn, _store, TimeProvider.System, TimeSpan.FromMilliseconds(10));

    [Fact]
    public async Task Reads_parents_before_children_refreshes_an_expired_iterator_and_skips_a_malformed_record()
    {
        var stream = new ScriptedStream();
        // The child is listed first: the watch must still finish the parent before reading it.
        stream.Shard("child", parent: "parent", closed: false, Change("MODIFY", "300", Version(3)));
        stream.Shard("parent", parent: null, closed: true, Change("INSERT", "100", Version(1)), Malformed("150"), Change("MODIFY", "200", Version(2)));
        stream.ExpireOnce("child");

        var seen = await ReadAsync(Watch(stream), "t:0", count: 3);

        Assert.Equal(["1", "2", "3"], seen.Select(e => e.Object.Metadata.ResourceVersion));
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Modified], seen.Select(e => e.Type));
        Assert.Equal(1, _store.Telemetry.MalformedItemsSkipped);
        Assert.Equal(2, stream.IteratorRequests["child"]);

        // Resuming from the second event's version delivers only what came after it.
        var resumed = await ReadAsync(Watch(stream), seen[1].Version, count: 1);
        Assert.Equal("3", resumed.Single().Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Trimmed_data_is_a_relist_signal()
    {
        var stream = new ScriptedStream();
        stream.Shard("only", parent: null, closed: false, Change("INSERT", "100", Version(1)));
        stream.TrimmedShards.Add("only");
        await Assert.ThrowsAsync<WatchExpiredException>(() => ReadAsync(Watch(stream), "s:only=50", count: 1));
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

    private static StreamChange Change(string eventName, string sequence, PulumiPipeline document) =>
        new(eventName, sequence, null, DynamoDbItemCodec.Key("website"), DynamoDbItemCodec.ToItem(document), null);

    private static StreamChange Malformed(string sequence) =>
        new("MODIFY", sequence, null, DynamoDbItemCodec.Key("website"),
            new Dictionary<string, AttributeValue> { ["name"] = new() { S = "website" }, ["metadata"] = new() { S = "by hand" } }, null);

    /// <summary>A stream whose shards and records are fixed up front; iterators are "shard|index".</summary>
    private sealed class ScriptedStream : IDynamoDbStreamsClient
    {
        private readonly List<StreamShard> _shards = [];
        private readonly Dictionary<string, (List<StreamChange> Records, bool Closed)> _data = [];
        private readonly HashSet<string> _expireOnce = [];

        public HashSet<string> TrimmedShards { get; } = [];

        public Dictionary<string, int> IteratorRequests { get; } = [];

        public void Shard(string id, string? parent, bool closed, params StreamChange[] records)
        {
            _shards.Add(new StreamShard(id, parent, records.FirstOrDefault()?.SequenceNumber, closed ? records[^1].SequenceNumber : null));
            _data[id] = (records.ToList(), closed);
        }

        public void ExpireOnce(string shard) => _expireOnce.Add(shard);

        public Task<IReadOnlyList<StreamSummary>> ListStreamsAsync(string tableName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StreamSummary>>([new StreamSummary(Arn, tableName, "1")]);

        public Task<StreamInfo> DescribeStreamAsync(string streamArn, CancellationToken cancellationToken) =>
            Task.FromResult(new StreamInfo(streamArn, "ENABLED", "NEW_AND_OLD_IMAGES", _shards));

        public Task<string?> GetShardIteratorAsync(string streamArn, string shardId, string iteratorType, string? sequenceNumber, CancellationToken cancellationToken)
        {
            IteratorRequests[shardId] = IteratorRequests.GetValueOrDefault(shardId) + 1;
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
            var index = int.Parse(shardIterator[(shard.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var (records, closed) = _data[shard];
            var page = records.Skip(index).ToList();
            return Task.FromResult(new StreamRecordsPage(page, closed ? null : $"{shard}|{records.Count}"));
        }
    }
}
