using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// A document as a native DynamoDB item: its top-level fields as attributes (maps, lists, strings, numbers, so
/// the console shows them readably), plus the partition key <c>name</c> and a numeric <c>rv</c> that every
/// conditional write tests.
/// </summary>
internal static class DynamoDbItemCodec
{
    public const string KeyAttribute = "name";
    public const string VersionAttribute = "rv";

    /// <summary>DynamoDB's item size limit (400 KB).</summary>
    public const int MaxItemBytes = 400 * 1024;

    public static Dictionary<string, AttributeValue> ToItem(PulumiPipeline document)
    {
        using var json = JsonDocument.Parse(StoredDocumentJson.Serialize(document));
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            item[property.Name] = ToAttribute(property.Value);
        }
        item[KeyAttribute] = new AttributeValue { S = document.Metadata.Name };
        item[VersionAttribute] = new AttributeValue { N = ObjectLifecycle.ResourceVersionOf(document).ToString(CultureInfo.InvariantCulture) };
        var size = ItemSize(item);
        if (size > MaxItemBytes)
        {
            throw new StoreInvalidDocumentException(
                $"document '{document.Metadata.Name}' is {size:N0} bytes as a DynamoDB item, over the {MaxItemBytes:N0}-byte (400 KB) item limit; shrink its spec or status");
        }
        return item;
    }

    public static Dictionary<string, AttributeValue> Key(string name) => new(StringComparer.Ordinal) { [KeyAttribute] = new AttributeValue { S = name } };

    /// <summary>Reads an item back; anything that is not a stored document is a <see cref="StoreInvalidDocumentException"/> naming the item.</summary>
    public static PulumiPipeline FromItem(IReadOnlyDictionary<string, AttributeValue> item, string table)
    {
        var name = item.TryGetValue(KeyAttribute, out var key) && key.S is { } s ? s : "(no name)";
        var where = $"'{name}' in table {table}";
        string json;
        try
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (attribute, value) in item)
                {
                    if (attribute is KeyAttribute or VersionAttribute)
                    {
                        continue;
                    }
                    writer.WritePropertyName(attribute);
                    WriteJson(writer, value, attribute);
                }
                writer.WriteEndObject();
            }
            json = Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (FormatException e)
        {
            throw new StoreInvalidDocumentException($"item {where} is not a stored document: {e.Message}", e);
        }
        var document = StoredDocumentJson.Deserialize(json, where);
        if (document.Metadata.Name != name)
        {
            throw new StoreInvalidDocumentException($"item {where} carries metadata.name '{document.Metadata.Name}', not its key");
        }
        return document;
    }

    /// <summary>The item's size as DynamoDB counts it (attribute names plus values), rounded up where DynamoDB's rule is fuzzy.</summary>
    public static int ItemSize(IReadOnlyDictionary<string, AttributeValue> item) =>
        item.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + ValueSize(pair.Value));

    private static int ValueSize(AttributeValue value)
    {
        if (value.S is not null)
        {
            return Encoding.UTF8.GetByteCount(value.S);
        }
        if (value.N is not null)
        {
            return value.N.Length / 2 + 2;
        }
        if (value.IsMSet && value.M is not null)
        {
            return 3 + value.M.Sum(pair => 1 + Encoding.UTF8.GetByteCount(pair.Key) + ValueSize(pair.Value));
        }
        if (value.IsLSet && value.L is not null)
        {
            return 3 + value.L.Sum(element => 1 + ValueSize(element));
        }
        return 1;
    }

    private static AttributeValue ToAttribute(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new AttributeValue { M = element.EnumerateObject().ToDictionary(p => p.Name, p => ToAttribute(p.Value), StringComparer.Ordinal) },
        JsonValueKind.Array => new AttributeValue { L = element.EnumerateArray().Select(ToAttribute).ToList() },
        JsonValueKind.String => new AttributeValue { S = element.GetString() },
        JsonValueKind.Number => new AttributeValue { N = element.GetRawText() },
        JsonValueKind.True => new AttributeValue { BOOL = true },
        JsonValueKind.False => new AttributeValue { BOOL = false },
        _ => new AttributeValue { NULL = true },
    };

    private static void WriteJson(Utf8JsonWriter writer, AttributeValue value, string path)
    {
        if (value.S is not null)
        {
            writer.WriteStringValue(value.S);
        }
        else if (value.N is not null)
        {
            if (!decimal.TryParse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw new FormatException($"{path} is not a number: '{value.N}'");
            }
            writer.WriteRawValue(value.N);
        }
        else if (value.BOOL is { } flag)
        {
            writer.WriteBooleanValue(flag);
        }
        else if (value.NULL == true)
        {
            writer.WriteNullValue();
        }
        else if (value.IsMSet && value.M is not null)
        {
            writer.WriteStartObject();
            foreach (var (key, inner) in value.M)
            {
                writer.WritePropertyName(key);
                WriteJson(writer, inner, $"{path}.{key}");
            }
            writer.WriteEndObject();
        }
        else if (value.IsLSet && value.L is not null)
        {
            writer.WriteStartArray();
            for (var i = 0; i < value.L.Count; i++)
            {
                WriteJson(writer, value.L[i], $"{path}[{i}]");
            }
            writer.WriteEndArray();
        }
        else if (value.IsSSSet && value.SS is not null)
        {
            writer.WriteStartArray();
            value.SS.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }
        else
        {
            throw new FormatException($"{path} has a DynamoDB type a document never uses");
        }
    }
}
