using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Sync;

/// <summary>Field-level differences between a stored document and what a revision declares: labels, annotations (less the per-write ones) and spec.</summary>
public static class DocumentDiff
{
    /// <summary>The changed fields; none for a document that does not exist yet (all of it is new).</summary>
    public static IReadOnlyList<FieldDelta> Compare(PulumiPipeline? current, PulumiPipeline desired)
    {
        var deltas = new List<FieldDelta>();
        if (current is not null)
        {
            Walk(JsonPath.Root, Comparable(current.ApiVersion, current.Metadata, JsonSerializer.SerializeToNode(current.Spec, ModelJsonContext.Default.PipelineSpec)),
                Comparable(desired.ApiVersion, desired.Metadata, JsonSerializer.SerializeToNode(desired.Spec, ModelJsonContext.Default.PipelineSpec)), deltas);
        }
        return deltas;
    }

    /// <summary>The changed fields of a template; none for one that does not exist yet.</summary>
    public static IReadOnlyList<FieldDelta> Compare(PulumiPipelineTemplate? current, PulumiPipelineTemplate desired)
    {
        var deltas = new List<FieldDelta>();
        if (current is not null)
        {
            Walk(JsonPath.Root, Comparable(current.ApiVersion, current.Metadata, current.Spec.DeepClone()), Comparable(desired.ApiVersion, desired.Metadata, desired.Spec.DeepClone()), deltas);
        }
        return deltas;
    }

    private static JsonObject Comparable(string apiVersion, ObjectMeta meta, JsonNode? spec)
    {
        var annotations = (meta.Annotations ?? new Dictionary<string, string>())
            .Where(a => !SyncAnnotations.PerWrite.Contains(a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
        var metadata = new JsonObject();
        if (meta.Labels is { Count: > 0 } labels)
        {
            metadata["labels"] = new JsonObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }
        if (annotations.Count > 0)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value))));
        }
        return new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["metadata"] = metadata,
            ["spec"] = spec,
        };
    }

    private static void Walk(string path, JsonNode? old, JsonNode? now, List<FieldDelta> deltas)
    {
        switch (old, now)
        {
            case (JsonObject a, JsonObject b):
                foreach (var (name, value) in b)
                {
                    Walk(JsonPath.Field(path, name), a[name], value, deltas);
                }
                foreach (var (name, value) in a.Where(p => !b.ContainsKey(p.Key)))
                {
                    Walk(JsonPath.Field(path, name), value, null, deltas);
                }
                break;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    Walk(JsonPath.Item(path, i), i < a.Count ? a[i] : null, i < b.Count ? b[i] : null, deltas);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(old, now))
                {
                    deltas.Add(new FieldDelta(path, JsonSubsetDiff.Compact(old), JsonSubsetDiff.Compact(now)));
                }
                break;
        }
    }
}
