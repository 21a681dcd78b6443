using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;

namespace Reconciler.Controller.Aws;

/// <summary>Converts a DynamoDB attribute map in its wire form (<c>{"name": {"S": "..."}}</c>) to and from SDK <see cref="AttributeValue"/>s.</summary>
/// <remarks>The union members are S, N, B (base64), SS, NS, BS, M, L, BOOL and NULL; an unknown member is an error, since dropping it would lose data.</remarks>
public sealed class DynamoDbAttributeMapJsonConverter : JsonConverter<Dictionary<string, AttributeValue>>
{
    public override Dictionary<string, AttributeValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return ReadMap(document.RootElement, "$");
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, AttributeValue> value, JsonSerializerOptions options) => WriteMap(writer, value);

    public static Dictionary<string, AttributeValue> ReadMap(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{path}: an attribute map must be an object.");
        }
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ReadValue(property.Value, $"{path}.{property.Name}");
        }
        return map;
    }

    public static AttributeValue ReadValue(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"{path}: an attribute value must be an object with one type member.");
        }
        foreach (var member in element.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            var memberPath = $"{path}.{member.Name}";
            return member.Name switch
            {
                "S" => new AttributeValue { S = member.Value.GetString() },
                "N" => new AttributeValue { N = NumberText(member.Value) },
                "B" => new AttributeValue { B = new MemoryStream(member.Value.GetBytesFromBase64()) },
                "SS" => new AttributeValue { SS = [.. member.Value.EnumerateArray().Select(e => e.GetString() ?? "")] },
                "NS" => new AttributeValue { NS = [.. member.Value.EnumerateArray().Select(NumberText)] },
                "BS" => new AttributeValue { BS = [.. member.Value.EnumerateArray().Select(e => new MemoryStream(e.GetBytesFromBase64()))] },
                "M" => new AttributeValue { M = ReadMap(member.Value, memberPath) },
                "L" => new AttributeValue { L = [.. member.Value.EnumerateArray().Select((e, i) => ReadValue(e, $"{memberPath}[{i}]"))] },
                "BOOL" => new AttributeValue { BOOL = member.Value.GetBoolean() },
                "NULL" => new AttributeValue { NULL = member.Value.GetBoolean() },
                _ => throw new JsonException($"{memberPath}: unknown attribute type '{member.Name}'."),
            };
        }
        throw new JsonException($"{path}: an attribute value needs one of S, N, B, SS, NS, BS, M, L, BOOL, NULL.");
    }

    public static void WriteMap(Utf8JsonWriter writer, IReadOnlyDictionary<string, AttributeValue> map)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in map)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        if (value.S is not null)
        {
            writer.WriteString("S", value.S);
        }
        else if (value.N is not null)
        {
            writer.WriteString("N", value.N);
        }
        else if (value.B is not null)
        {
            writer.WriteBase64String("B", value.B.ToArray());
        }
        else if (value.SS is { Count: > 0 })
        {
            WriteStrings(writer, "SS", value.SS);
        }
        else if (value.NS is { Count: > 0 })
        {
            WriteStrings(writer, "NS", value.NS);
        }
        else if (value.BS is { Count: > 0 })
        {
            writer.WriteStartArray("BS");
            foreach (var b in value.BS)
            {
                writer.WriteBase64StringValue(b.ToArray());
            }
            writer.WriteEndArray();
        }
        else if (value.M is not null)
        {
            writer.WritePropertyName("M");
            WriteMap(writer, value.M);
        }
        else if (value.L is not null)
        {
            writer.WriteStartArray("L");
            foreach (var item in value.L)
            {
                WriteValue(writer, item);
            }
            writer.WriteEndArray();
        }
        else if (value.BOOL is { } b)
        {
            writer.WriteBoolean("BOOL", b);
        }
        else
        {
            writer.WriteBoolean("NULL", true);
        }
        writer.WriteEndObject();
    }

    // Numbers travel as strings; a bare JSON number is accepted and kept verbatim.
    private static string NumberText(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number ? element.GetRawText() : element.GetString() ?? "";

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var s in values)
        {
            writer.WriteStringValue(s);
        }
        writer.WriteEndArray();
    }
}
