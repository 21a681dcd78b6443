namespace Reconciler.Controller.Store;

/// <summary>Which DynamoDB table holds the documents and how the polling watch (used where Streams are missing) polls.</summary>
public sealed record DynamoDbStoreOptions
{
    public const string DefaultTableName = "reconciler-specs";

    public string TableName { get; init; } = DefaultTableName;

    /// <summary>The lease table the runtime's shard leases live in: partition key <c>shard</c> (string).</summary>
    public string LeaseTableName => $"{TableName}-leases";

    /// <summary>How often the watch polls: a stream's shards when it has caught up, or the table by scan when there is no stream.</summary>
    public TimeSpan WatchPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many list versions the polling watch remembers in this process; an older one means relist.</summary>
    public int PollingBookmarks { get; init; } = 16;
}
