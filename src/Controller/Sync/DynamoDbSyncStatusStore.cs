using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Sync;

/// <summary>Sync status in the DynamoDB table <c>&lt;table&gt;-sync</c> (partition key <c>source</c>); every write is conditional on the version.</summary>
public sealed class DynamoDbSyncStatusStore(IAmazonDynamoDB client, string tableName) : ISyncStatusStore
{
    public const string Key = "source";

    public async Task<(SyncStatus? Status, long Version)> GetAsync(string source, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = new Dictionary<string, AttributeValue> { [Key] = new() { S = source } },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? (Read(item), long.Parse(item["version"].N, CultureInfo.InvariantCulture)) : (null, 0);
    }

    public async Task<IReadOnlyList<SyncStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var statuses = new List<SyncStatus>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = tableName, ConsistentRead = true, ExclusiveStartKey = start }, cancellationToken);
            statuses.AddRange((page.Items ?? []).Select(Read));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return [.. statuses.OrderBy(s => s.Source, StringComparer.Ordinal)];
    }

    public async Task<long?> TryPutAsync(SyncStatus status, long expectedVersion, CancellationToken cancellationToken)
    {
        var next = expectedVersion + 1;
        var request = new PutItemRequest
        {
            TableName = tableName,
            Item = new Dictionary<string, AttributeValue>
            {
                [Key] = new() { S = status.Source },
                ["body"] = new() { S = JsonSerializer.Serialize(status, SyncJsonContext.Default.SyncStatus) },
                ["version"] = new() { N = next.ToString(CultureInfo.InvariantCulture) },
            },
            ExpressionAttributeNames = new Dictionary<string, string> { ["#key"] = Key, ["#version"] = "version" },
        };
        if (expectedVersion == 0)
        {
            request.ConditionExpression = "attribute_not_exists(#key)";
            request.ExpressionAttributeNames.Remove("#version");
        }
        else
        {
            request.ConditionExpression = "#version = :expected";
            request.ExpressionAttributeNames.Remove("#key");
            request.ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":expected"] = new() { N = expectedVersion.ToString(CultureInfo.InvariantCulture) } };
        }
        try
        {
            await client.PutItemAsync(request, cancellationToken);
            return next;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private static SyncStatus Read(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize(item["body"].S, SyncJsonContext.Default.SyncStatus)!;
}
