using System.Text.Json.Nodes;

namespace Reconciler.LocalCloud.Services;

/// <summary>Typed reads of request members that the API model has already checked.</summary>
internal static class JsonMembers
{
    public static string String(this JsonObject o, string member) => (string?)o[member] ?? "";

    public static string? OptionalString(this JsonObject o, string member) => (string?)o[member];

    public static int? OptionalInt(this JsonObject o, string member) => o[member] is JsonValue v ? (int)v : null;

    public static bool Bool(this JsonObject o, string member) => o[member] is JsonValue v && (bool)v;

    public static List<string> Strings(this JsonObject o, string member) =>
        o[member] is JsonArray a ? a.Select(n => (string?)n ?? "").ToList() : [];

    /// <summary>Sets a list member only when it has items: where the model gives a list a minimum length of 1, AWS leaves an empty one out.</summary>
    public static JsonObject WithNonEmpty(this JsonObject o, string member, JsonArray list)
    {
        if (list.Count > 0)
        {
            o[member] = list;
        }
        return o;
    }

    public static JsonArray ToJsonArray(this IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonArray ToJsonArray(this IEnumerable<JsonNode> nodes) => new(nodes.Select(n => (JsonNode?)n).ToArray());
}
