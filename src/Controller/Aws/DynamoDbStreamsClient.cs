using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Aws;

/// <summary>The DynamoDB Streams operations over AWS JSON 1.0.</summary>
public sealed class DynamoDbStreamsClient(AwsJsonClient client) : IDynamoDbStreamsClient
{
    private static AwsPascalWireJsonContext Json => AwsPascalWireJsonContext.Default;

    public async Task<IReadOnlyList<StreamSummary>> ListStreamsAsync(string tableName, CancellationToken cancellationToken)
    {
        var streams = new List<StreamSummary>();
        string? start = null;
        do
        {
            var response = await client.SendAsync("ListStreams", new ListStreamsRequest(tableName, start), Json.ListStreamsRequest, Json.ListStreamsResponse, cancellationToken).ConfigureAwait(false);
            streams.AddRange((response.Streams ?? [])
                .Where(s => s.StreamArn is not null)
                .Select(s => new StreamSummary(s.StreamArn!, s.TableName ?? tableName, s.StreamLabel)));
            start = CodeBuildClient.NullIfEmpty(response.LastEvaluatedStreamArn);
        }
        while (start is not null);
        return streams;
    }

    public async Task<StreamInfo> DescribeStreamAsync(string streamArn, CancellationToken cancellationToken)
    {
        var shards = new List<StreamShard>();
        string? start = null;
        StreamDescriptionWire? description;
        do
        {
            var response = await client.SendAsync("DescribeStream", new DescribeStreamRequest(streamArn, start), Json.DescribeStreamRequest, Json.DescribeStreamResponse, cancellationToken).ConfigureAwait(false);
            description = response.StreamDescription;
            shards.AddRange((description?.Shards ?? [])
                .Where(s => s.ShardId is not null)
                .Select(s => new StreamShard(s.ShardId!, s.ParentShardId, s.SequenceNumberRange?.StartingSequenceNumber, s.SequenceNumberRange?.EndingSequenceNumber)));
            start = CodeBuildClient.NullIfEmpty(description?.LastEvaluatedShardId);
        }
        while (start is not null);
        return new StreamInfo(description?.StreamArn ?? streamArn, description?.StreamStatus ?? "", description?.StreamViewType, shards);
    }

    public async Task<string?> GetShardIteratorAsync(string streamArn, string shardId, string iteratorType, string? sequenceNumber, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("GetShardIterator", new GetShardIteratorRequest(streamArn, shardId, iteratorType, sequenceNumber), Json.GetShardIteratorRequest, Json.GetShardIteratorResponse, cancellationToken).ConfigureAwait(false);
        return response.ShardIterator;
    }

    public async Task<StreamRecordsPage> GetRecordsAsync(string shardIterator, int? limit, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("GetRecords", new GetRecordsRequest(shardIterator, limit), Json.GetRecordsRequest, Json.GetRecordsResponse, cancellationToken).ConfigureAwait(false);
        var records = (response.Records ?? [])
            .Where(r => r.Dynamodb is not null)
            .Select(r => new StreamChange(
                r.EventName ?? "",
                r.Dynamodb!.SequenceNumber ?? "",
                r.Dynamodb.ApproximateCreationDateTime,
                r.Dynamodb.Keys ?? new Dictionary<string, AttributeValue>(),
                r.Dynamodb.NewImage,
                r.Dynamodb.OldImage))
            .ToList();
        return new StreamRecordsPage(records, response.NextShardIterator);
    }
}
