using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Model.Planning;

/// <summary>
/// Field-level comparison of a desired JSON document against a live one, where desired is a subset of live:
/// a member absent from desired is the service's to fill in and is ignored.
/// </summary>
/// <remarks>
/// Arrays compare by position unless a <see cref="CollectionRule"/> is registered for their shape path
/// (the path with indices and keys removed, e.g. <c>environment.environmentVariables</c>).
/// </remarks>
public sealed class JsonSubsetDiff
{
    private static readonly JsonSerializerOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IReadOnlyDictionary<string, CollectionRule> _rules;

    public JsonSubsetDiff(IReadOnlyDictionary<string, CollectionRule> rules) => _rules = rules;

    /// <summary>The deltas between desired and live, in desired's member order, then live-only entries.</summary>
    public IReadOnlyList<FieldDelta> Compare(JsonNode? desired, JsonNode? live, string rootPath = "")
    {
        var deltas = new List<FieldDelta>();
        Walk(rootPath, "", desired, live, deltas);
        return deltas;
    }

    /// <summary>Compact JSON of a node (null for absent), with readable non-ASCII characters.</summary>
    public static string? Compact(JsonNode? node) => node?.ToJsonString(CompactOptions);

    private bool Matches(string shape, JsonNode? desired, JsonNode? live)
    {
        var deltas = new List<FieldDelta>();
        Walk("", shape, desired, live, deltas);
        return deltas.Count == 0;
    }

    private void Walk(string path, string shape, JsonNode? desired, JsonNode? live, List<FieldDelta> deltas)
    {
        if (desired is null)
        {
            return;
        }
        if (_rules.TryGetValue(shape, out var rule))
        {
            if (desired is JsonArray desiredItems && live is null or JsonArray)
            {
                var liveItems = live as JsonArray ?? [];
                switch (rule)
                {
                    case CollectionRule.Map map:
                        CompareMap(path, shape, map, desiredItems, liveItems, deltas);
                        return;
                    case CollectionRule.SetOfSets:
                        CompareSetOfSets(path, shape, desiredItems, liveItems, deltas);
                        return;
                }
            }
        }
        switch (desired)
        {
            case JsonObject desiredObject when live is null or JsonObject:
                var liveObject = live as JsonObject;
                foreach (var (name, value) in desiredObject)
                {
                    Walk(Join(path, name), Join(shape, name), value, liveObject?[name], deltas);
                }
                return;
            case JsonArray desiredArray when live is null or JsonArray:
                var liveArray = live as JsonArray ?? [];
                for (var i = 0; i < Math.Max(desiredArray.Count, liveArray.Count); i++)
                {
                    var itemPath = $"{path}[{i}]";
                    if (i >= desiredArray.Count)
                    {
                        deltas.Add(new FieldDelta(itemPath, Compact(liveArray[i]), null));
                    }
                    else if (i >= liveArray.Count)
                    {
                        deltas.Add(new FieldDelta(itemPath, null, Compact(desiredArray[i])));
                    }
                    else
                    {
                        Walk(itemPath, shape + "[]", desiredArray[i], liveArray[i], deltas);
                    }
                }
                return;
            case JsonValue when live is JsonValue && JsonNode.DeepEquals(desired, live):
                return;
            default:
                deltas.Add(new FieldDelta(path, Compact(live), Compact(desired)));
                return;
        }
    }

    private void CompareMap(string path, string shape, CollectionRule.Map rule, JsonArray desired, JsonArray live, List<FieldDelta> deltas)
    {
        var liveByKey = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var liveOrder = new List<string>();
        foreach (var item in live)
        {
            var key = KeyOf(item, rule.KeyField);
            if (key is null || (rule.IgnoredKeyPrefix is { } prefix && key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }
            if (liveByKey.TryAdd(key, item))
            {
                liveOrder.Add(key);
            }
        }
        var desiredKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in desired)
        {
            var key = KeyOf(item, rule.KeyField) ?? "";
            desiredKeys.Add(key);
            var entryPath = $"{path}[{key}]";
            liveByKey.TryGetValue(key, out var liveItem);
            if (rule.ValueField is { } valueField)
            {
                Walk(entryPath, shape + "[]." + valueField, item?[valueField], liveItem?[valueField], deltas);
            }
            else if (liveItem is null)
            {
                deltas.Add(new FieldDelta(entryPath, null, Compact(item)));
            }
            else
            {
                Walk(entryPath, shape + "[]", item, liveItem, deltas);
            }
        }
        foreach (var key in liveOrder.Where(k => !desiredKeys.Contains(k)))
        {
            var liveItem = liveByKey[key];
            var old = rule.ValueField is { } valueField ? liveItem?[valueField] : liveItem;
            deltas.Add(new FieldDelta($"{path}[{key}]", Compact(old), null));
        }
    }

    private void CompareSetOfSets(string path, string shape, JsonArray desired, JsonArray live, List<FieldDelta> deltas)
    {
        var unmatchedLive = Enumerable.Range(0, live.Count).ToList();
        var memberShape = shape + "[][]";
        for (var i = 0; i < desired.Count; i++)
        {
            var match = unmatchedLive.FindIndex(j => SameSet(memberShape, desired[i] as JsonArray, live[j] as JsonArray));
            if (match < 0)
            {
                deltas.Add(new FieldDelta($"{path}[{i}]", null, Compact(desired[i])));
            }
            else
            {
                unmatchedLive.RemoveAt(match);
            }
        }
        foreach (var j in unmatchedLive)
        {
            deltas.Add(new FieldDelta($"{path}[{j}]", Compact(live[j]), null));
        }
    }

    // Two sets are the same when each desired member matches a distinct live member and none is left over.
    private bool SameSet(string memberShape, JsonArray? desired, JsonArray? live)
    {
        desired ??= [];
        live ??= [];
        if (desired.Count != live.Count)
        {
            return false;
        }
        var unmatched = Enumerable.Range(0, live.Count).ToList();
        foreach (var member in desired)
        {
            var match = unmatched.FindIndex(j => Matches(memberShape, member, live[j]));
            if (match < 0)
            {
                return false;
            }
            unmatched.RemoveAt(match);
        }
        return true;
    }

    private static string? KeyOf(JsonNode? item, string keyField) =>
        item is JsonObject obj && obj[keyField] is JsonValue value && value.TryGetValue<string>(out var key) ? key : null;

    private static string Join(string path, string member) => path.Length == 0 ? member : path + "." + member;
}
