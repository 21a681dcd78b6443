using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// Templates in the spec table, one item each under the key <c>template/&lt;name&gt;</c> (a spec name is a DNS
/// label, so it never holds a <c>/</c>), with the document as one JSON string attribute and a <c>kind</c>
/// discriminator. The spec store skips these keys on every path, so spec list and watch see specs only. Every write
/// is conditional on the item's <c>rv</c>, as spec writes are.
/// </summary>
internal sealed class DynamoDbTemplateStore(IAmazonDynamoDB client, string table, TimeProvider clock) : ITemplateStore
{
    public const string KeyPrefix = "template/";
    private const string DocumentAttribute = "document";
    private const string KindAttribute = "kind";

    // The change mark: a counter item under the bare prefix (no template has an empty name, and the spec store skips
    // the prefix), added to after every template write. Listing templates is a scan of the whole table, specs and all:
    // at 100,000 specs a poll every few seconds would read the table every few seconds.
    private const string MarkKey = KeyPrefix;
    private const string SerialAttribute = "serial";

    public static bool IsTemplateKey(string key) => key.StartsWith(KeyPrefix, StringComparison.Ordinal);

    public async Task<PulumiPipelineTemplate> CreateAsync(PulumiPipelineTemplate template, CancellationToken cancellationToken)
    {
        var created = TemplateLifecycle.ForCreate(template, clock);
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = ToItem(created),
                ConditionExpression = "attribute_not_exists(#name)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#name"] = DynamoDbItemCodec.KeyAttribute },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StoreAlreadyExistsException($"template '{created.Metadata.Name}' already exists");
        }
        await MarkChangedAsync(cancellationToken);
        return created;
    }

    public async Task<PulumiPipelineTemplate?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(name), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    public async Task<IReadOnlyList<PulumiPipelineTemplate>> ListAsync(CancellationToken cancellationToken)
    {
        var templates = new List<PulumiPipelineTemplate>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await client.ScanAsync(new ScanRequest
            {
                TableName = table,
                ConsistentRead = true,
                ExclusiveStartKey = startKey,
                FilterExpression = "begins_with(#name, :prefix)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#name"] = DynamoDbItemCodec.KeyAttribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":prefix"] = new() { S = KeyPrefix } },
            }, cancellationToken);
            templates.AddRange((response.Items ?? []).Where(i => !IsMark(i)).Select(FromItem));
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
        return [.. templates.OrderBy(t => t.Metadata.Name, StringComparer.Ordinal)];
    }

    public async Task<PulumiPipelineTemplate> UpdateAsync(PulumiPipelineTemplate template, CancellationToken cancellationToken)
    {
        var name = template.Metadata.Name;
        var current = await GetAsync(name, cancellationToken) ?? throw new StoreNotFoundException($"template '{name}' not found");
        if (TemplateLifecycle.ForUpdate(current, template) is not { } updated)
        {
            return current;
        }
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = ToItem(updated),
                ConditionExpression = "#rv = :rv",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#rv"] = DynamoDbItemCodec.VersionAttribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":rv"] = new() { N = current.Metadata.ResourceVersion } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StoreConflictException($"template '{name}' was changed by someone else while it was written; read it again and retry");
        }
        await MarkChangedAsync(cancellationToken);
        return updated;
    }

    public async Task DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken)
    {
        var current = await GetAsync(name, cancellationToken) ?? throw new StoreNotFoundException($"template '{name}' not found");
        TemplateLifecycle.CheckPrecondition(current, resourceVersion);
        try
        {
            await client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = table,
                Key = Key(name),
                ConditionExpression = "#rv = :rv",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#rv"] = DynamoDbItemCodec.VersionAttribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":rv"] = new() { N = current.Metadata.ResourceVersion } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StoreConflictException($"template '{name}' was changed by someone else while it was deleted; read it again and retry");
        }
        await MarkChangedAsync(cancellationToken);
    }

    public async Task<string?> ChangeMarkAsync(CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = DynamoDbItemCodec.Key(MarkKey), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item && item.TryGetValue(SerialAttribute, out var serial) ? serial.N : "0";
    }

    // After the template's own write: a reader that saw the old mark lists again at its next poll. A process that dies
    // between the two leaves the change to the source's periodic full list.
    private Task MarkChangedAsync(CancellationToken cancellationToken) => client.UpdateItemAsync(new UpdateItemRequest
    {
        TableName = table,
        Key = DynamoDbItemCodec.Key(MarkKey),
        UpdateExpression = "ADD #serial :one",
        ExpressionAttributeNames = new Dictionary<string, string> { ["#serial"] = SerialAttribute },
        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":one"] = new() { N = "1" } },
    }, cancellationToken);

    private static Dictionary<string, AttributeValue> Key(string name) => DynamoDbItemCodec.Key(KeyPrefix + name);

    private static bool IsMark(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(DynamoDbItemCodec.KeyAttribute, out var key) && key.S == MarkKey;

    private static Dictionary<string, AttributeValue> ToItem(PulumiPipelineTemplate template)
    {
        var item = Key(template.Metadata.Name);
        item[DynamoDbItemCodec.VersionAttribute] = new AttributeValue { N = template.Metadata.ResourceVersion };
        item[KindAttribute] = new AttributeValue { S = PulumiPipelineTemplate.KindName };
        item[DocumentAttribute] = new AttributeValue { S = TemplateLifecycle.Serialize(template) };
        return item;
    }

    private PulumiPipelineTemplate FromItem(Dictionary<string, AttributeValue> item)
    {
        var key = item.TryGetValue(DynamoDbItemCodec.KeyAttribute, out var k) ? k.S : "(no name)";
        var where = $"'{key}' in table {table}";
        return item.TryGetValue(DocumentAttribute, out var document) && document.S is { } json
            ? TemplateLifecycle.Deserialize(json, where)
            : throw new StoreInvalidDocumentException($"stored template {where} has no {DocumentAttribute} attribute");
    }
}
