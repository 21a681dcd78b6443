using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Aws;

// Request and response envelopes of DynamoDB Streams (AWS JSON 1.0, PascalCase members as in
// dynamodb-streams-2012-08-10, except a record's camelCase eventName and dynamodb).

internal sealed record ListStreamsRequest(string TableName, string? ExclusiveStartStreamArn);

internal sealed record ListStreamsResponse(IReadOnlyList<StreamWire>? Streams, string? LastEvaluatedStreamArn);

internal sealed record StreamWire(string? StreamArn, string? TableName, string? StreamLabel);

internal sealed record DescribeStreamRequest(string StreamArn, string? ExclusiveStartShardId);

internal sealed record DescribeStreamResponse(StreamDescriptionWire? StreamDescription);

internal sealed record StreamDescriptionWire(
    string? StreamArn,
    string? StreamStatus,
    string? StreamViewType,
    IReadOnlyList<ShardWire>? Shards,
    string? LastEvaluatedShardId);

internal sealed record ShardWire(string? ShardId, string? ParentShardId, SequenceNumberRangeWire? SequenceNumberRange);

internal sealed record SequenceNumberRangeWire(string? StartingSequenceNumber, string? EndingSequenceNumber);

internal sealed record GetShardIteratorRequest(string StreamArn, string ShardId, string ShardIteratorType, string? SequenceNumber);

internal sealed record GetShardIteratorResponse(string? ShardIterator);

internal sealed record GetRecordsRequest(string ShardIterator, int? Limit);

internal sealed record GetRecordsResponse(IReadOnlyList<RecordWire>? Records, string? NextShardIterator);

internal sealed record RecordWire(
    [property: JsonPropertyName("eventName")] string? EventName,
    [property: JsonPropertyName("dynamodb")] StreamRecordWire? Dynamodb);

internal sealed record StreamRecordWire(
    string? SequenceNumber,
    DateTimeOffset? ApproximateCreationDateTime,
    [property: JsonConverter(typeof(DynamoDbAttributeMapJsonConverter))] Dictionary<string, AttributeValue>? Keys,
    [property: JsonConverter(typeof(DynamoDbAttributeMapJsonConverter))] Dictionary<string, AttributeValue>? NewImage,
    [property: JsonConverter(typeof(DynamoDbAttributeMapJsonConverter))] Dictionary<string, AttributeValue>? OldImage);
