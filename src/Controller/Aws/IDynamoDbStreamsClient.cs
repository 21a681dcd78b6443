using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Aws;

/// <summary>The DynamoDB Streams operations the store's watch reads (AWS JSON 1.0).</summary>
public interface IDynamoDbStreamsClient
{
    Task<IReadOnlyList<StreamSummary>> ListStreamsAsync(string tableName, CancellationToken cancellationToken);

    /// <summary>The stream with all its shards (DescribeStream pages are followed).</summary>
    Task<StreamInfo> DescribeStreamAsync(string streamArn, CancellationToken cancellationToken);

    /// <param name="iteratorType">TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.</param>
    Task<string?> GetShardIteratorAsync(string streamArn, string shardId, string iteratorType, string? sequenceNumber, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="AwsExpiredIteratorException"/> when the iterator is older than 15 minutes, <see cref="AwsTrimmedDataException"/> when its data was trimmed.</summary>
    Task<StreamRecordsPage> GetRecordsAsync(string shardIterator, int? limit, CancellationToken cancellationToken);
}

/// <summary>One stream of a table.</summary>
public sealed record StreamSummary(string StreamArn, string TableName, string? StreamLabel);

/// <summary>A stream's status and shards.</summary>
public sealed record StreamInfo(string StreamArn, string StreamStatus, string? StreamViewType, IReadOnlyList<StreamShard> Shards);

/// <summary>One shard; a child's <see cref="ParentShardId"/> must be read to its end first.</summary>
public sealed record StreamShard(string ShardId, string? ParentShardId, string? StartingSequenceNumber, string? EndingSequenceNumber);

/// <summary>Records read from a shard; <see cref="NextShardIterator"/> is null when the shard is closed and fully read.</summary>
public sealed record StreamRecordsPage(IReadOnlyList<StreamChange> Records, string? NextShardIterator);

/// <summary>One item change: INSERT, MODIFY or REMOVE, with the images as DynamoDB attribute maps.</summary>
public sealed record StreamChange(
    string EventName,
    string SequenceNumber,
    DateTimeOffset? ApproximateCreationDateTime,
    IReadOnlyDictionary<string, AttributeValue> Keys,
    IReadOnlyDictionary<string, AttributeValue>? NewImage,
    IReadOnlyDictionary<string, AttributeValue>? OldImage);
