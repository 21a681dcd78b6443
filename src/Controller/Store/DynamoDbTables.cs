using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Store;

/// <summary>
/// Creates the spec table (partition key <c>name</c>, streams with new and old images, on-demand billing) and the
/// lease table (partition key <c>shard</c>) and the sync status table (partition key <c>source</c>), idempotently, and waits until all are ACTIVE.
/// </summary>
public static class DynamoDbTables
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<IReadOnlyList<TableReport>> EnsureAsync(IAmazonDynamoDB client, DynamoDbStoreOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var spec = await EnsureTableAsync(client, options.TableName, DynamoDbItemCodec.KeyAttribute, withStream: true, clock, cancellationToken);
        var leases = await EnsureTableAsync(client, options.LeaseTableName, "shard", withStream: false, clock, cancellationToken);
        var sync = await EnsureTableAsync(client, Sync.SyncStatusStores.DynamoDbTableFor(options.TableName), Sync.DynamoDbSyncStatusStore.Key, withStream: false, clock, cancellationToken);
        return [spec, leases, sync];
    }

    private static async Task<TableReport> EnsureTableAsync(IAmazonDynamoDB client, string table, string key, bool withStream, TimeProvider clock, CancellationToken cancellationToken)
    {
        var created = false;
        try
        {
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                AttributeDefinitions = [new AttributeDefinition(key, ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement(key, KeyType.HASH)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
                StreamSpecification = withStream ? new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES } : null,
            }, cancellationToken);
            created = true;
        }
        catch (ResourceInUseException)
        {
            // Already there (or being created by a concurrent init): wait for it like for our own.
        }
        var deadline = clock.GetUtcNow() + ActiveTimeout;
        while (true)
        {
            var description = (await client.DescribeTableAsync(table, cancellationToken)).Table;
            if (description.TableStatus == TableStatus.ACTIVE)
            {
                var keyName = description.KeySchema?.FirstOrDefault(k => k.KeyType == KeyType.HASH)?.AttributeName;
                if (keyName != key)
                {
                    throw new StoreException($"table {table} exists with partition key '{keyName}', not '{key}'; use another table name");
                }
                var streaming = description.StreamSpecification?.StreamEnabled == true;
                return new TableReport(table, created, withStream && !streaming
                    ? "no stream on this table (or this endpoint has no Streams): the controller's watch will poll it"
                    : null);
            }
            if (clock.GetUtcNow() > deadline)
            {
                throw new StoreException($"table {table} is still {description.TableStatus} after {ActiveTimeout.TotalMinutes} minutes");
            }
            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }
}

/// <summary>What <c>store init</c> found or did for one table.</summary>
public sealed record TableReport(string Table, bool Created, string? Warning);
