using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Runtime;

/// <summary>Leases in the DynamoDB lease table (<c>&lt;table&gt;-leases</c>, partition key <c>shard</c>); every write is conditional on the version.</summary>
/// <remarks>
/// A setting is an item of the same table with the attribute <c>setting</c>; it also carries an empty <c>holder</c> and
/// <c>expiresAt</c> 0, so a replica of an earlier version reads it as a released lease and leaves it alone.
/// </remarks>
public sealed class DynamoDbLeaseStore(IAmazonDynamoDB client, string tableName) : ILeaseStore
{
    private const string Key = "shard";
    private const string SettingAttribute = "setting";

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken)
    {
        var leases = new List<Lease>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = tableName, ConsistentRead = true, ExclusiveStartKey = start }, cancellationToken);
            foreach (var item in (page.Items ?? []).Where(i => !i.ContainsKey(SettingAttribute)))
            {
                leases.Add(new Lease(
                    item[Key].S,
                    item.TryGetValue("holder", out var holder) ? holder.S ?? "" : "",
                    DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item["expiresAt"].N, CultureInfo.InvariantCulture)),
                    long.Parse(item["version"].N, CultureInfo.InvariantCulture)));
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return [.. leases.OrderBy(l => l.Name, StringComparer.Ordinal)];
    }

    public Task<bool> TryWriteAsync(Lease lease, long expectedVersion, CancellationToken cancellationToken) =>
        TryPutAsync(new Dictionary<string, AttributeValue>
        {
            [Key] = new() { S = lease.Name },
            ["holder"] = new() { S = lease.Holder },
            ["expiresAt"] = new() { N = lease.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) },
            ["version"] = new() { N = lease.Version.ToString(CultureInfo.InvariantCulture) },
        }, expectedVersion, cancellationToken);

    public async Task<LeaseSetting?> ReadSettingAsync(string name, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            ConsistentRead = true,
            Key = new Dictionary<string, AttributeValue> { [Key] = new() { S = name } },
        }, cancellationToken);
        return response.Item is { Count: > 0 } item && item.TryGetValue(SettingAttribute, out var value)
            ? new LeaseSetting(name, long.Parse(value.N, CultureInfo.InvariantCulture), long.Parse(item["version"].N, CultureInfo.InvariantCulture))
            : null;
    }

    public Task<bool> TryWriteSettingAsync(LeaseSetting setting, long expectedVersion, CancellationToken cancellationToken) =>
        TryPutAsync(new Dictionary<string, AttributeValue>
        {
            [Key] = new() { S = setting.Name },
            [SettingAttribute] = new() { N = setting.Value.ToString(CultureInfo.InvariantCulture) },
            ["holder"] = new() { S = "" },
            ["expiresAt"] = new() { N = "0" },
            ["version"] = new() { N = setting.Version.ToString(CultureInfo.InvariantCulture) },
        }, expectedVersion, cancellationToken);

    private async Task<bool> TryPutAsync(Dictionary<string, AttributeValue> item, long expectedVersion, CancellationToken cancellationToken)
    {
        var request = new PutItemRequest { TableName = tableName, Item = item };
        if (expectedVersion == 0)
        {
            request.ConditionExpression = "attribute_not_exists(#shard)";
            request.ExpressionAttributeNames = new Dictionary<string, string> { ["#shard"] = Key };
        }
        else
        {
            request.ConditionExpression = "#version = :expected";
            request.ExpressionAttributeNames = new Dictionary<string, string> { ["#version"] = "version" };
            request.ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":expected"] = new() { N = expectedVersion.ToString(CultureInfo.InvariantCulture) } };
        }
        try
        {
            await client.PutItemAsync(request, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<bool> TryDeleteAsync(string name, long expectedVersion, CancellationToken cancellationToken)
    {
        var request = new DeleteItemRequest
        {
            TableName = tableName,
            Key = new Dictionary<string, AttributeValue> { [Key] = new() { S = name } },
            // SHARD and VERSION are DynamoDB reserved words: refer to them through names.
            ConditionExpression = "#version = :expected",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#version"] = "version" },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":expected"] = new() { N = expectedVersion.ToString(CultureInfo.InvariantCulture) } },
        };
        try
        {
            await client.DeleteItemAsync(request, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }
}
