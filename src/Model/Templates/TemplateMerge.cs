using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Templates;

/// <summary>
/// The effective spec of a spec that names a template: the template's spec with the spec's on top. Pure; the rules
/// (docs/templates.md): a scalar or list in the spec replaces the template's; objects (maps such as tags, and
/// sections such as build) merge key by key, recursively; a null in the spec removes the inherited value; stages
/// merge by name (a spec stage of an inherited name merges into it, in the template's order; new stages follow in
/// the spec's order; <c>"remove": true</c> drops an inherited stage); build environment variables merge by name.
/// </summary>
public static class TemplateMerge
{
    /// <summary>The field of a spec that names its template.</summary>
    public const string TemplateField = "template";

    /// <summary>The field of a spec stage that drops the inherited stage of that name.</summary>
    public const string RemoveField = "remove";

    /// <summary>The effective spec; neither input is changed.</summary>
    public static JsonObject Merge(JsonObject templateSpec, JsonObject spec)
    {
        var merged = MergeObjects(templateSpec, spec, "");
        merged.Remove(TemplateField);
        return merged;
    }

    /// <summary>The document as the controller renders it: metadata and status kept, the spec merged onto the template's.</summary>
    /// <remarks>
    /// A typed document cannot tell a field left out from one set to the model's default (both read back as the
    /// default), so a value equal to the default does not override the template: it is taken as left out.
    /// </remarks>
    public static PulumiPipeline Effective(PulumiPipeline document, PulumiPipelineTemplate template)
    {
        var spec = JsonSerializer.SerializeToNode(document.Spec, ModelJsonContext.Default.PipelineSpec)!.AsObject();
        Prune(spec, Defaults.Spec, Defaults.Stage, Defaults.Variable);
        var merged = Merge(template.Spec, spec);
        return document with { Spec = merged.Deserialize(ModelJsonContext.Default.PipelineSpec)! };
    }

    private static class Defaults
    {
        public static readonly JsonObject Spec = JsonSerializer.SerializeToNode(new PipelineSpec(), ModelJsonContext.Default.PipelineSpec)!.AsObject();
        public static readonly JsonObject Stage = JsonSerializer.SerializeToNode(new PipelineSpec { Stages = [new StageSpec()] }, ModelJsonContext.Default.PipelineSpec)!["stages"]![0]!.AsObject();
        public static readonly JsonObject Variable = JsonSerializer.SerializeToNode(
            new PipelineSpec { Build = new BuildSettings { Environment = [new EnvironmentVariableSpec()] } }, ModelJsonContext.Default.PipelineSpec)!["build"]!["environment"]![0]!.AsObject();
    }

    // Removes every member equal to the default model's; in keyed lists, the item's name always stays.
    private static void Prune(JsonObject node, JsonObject defaults, JsonObject stage, JsonObject variable)
    {
        foreach (var name in node.Select(p => p.Key).ToList())
        {
            var value = node[name];
            if (value is JsonArray items && (name == "stages" || name == "environment"))
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    var keep = item["name"]?.DeepClone();
                    Prune(item, name == "stages" ? stage : variable, stage, variable);
                    if (keep is not null)
                    {
                        item["name"] = keep;
                    }
                }
            }
            else if (value is JsonObject child && defaults[name] is JsonObject childDefaults)
            {
                Prune(child, childDefaults, stage, variable);
                if (child.Count == 0)
                {
                    node.Remove(name);
                }
            }
            else if (value is null || (defaults[name] is { } @default && JsonNode.DeepEquals(value, @default)))
            {
                node.Remove(name);
            }
        }
    }

    private static JsonObject MergeObjects(JsonObject under, JsonObject over, string path)
    {
        var result = (JsonObject)under.DeepClone();
        foreach (var (name, value) in over)
        {
            var childPath = path + "/" + name;
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonObject overObject && result[name] is JsonObject underObject)
            {
                result[name] = MergeObjects(underObject, overObject, childPath);
            }
            else if (value is JsonArray overArray && result[name] is JsonArray underArray && KeyedLists.Contains(childPath))
            {
                result[name] = MergeByName(underArray, overArray, childPath);
            }
            else
            {
                result[name] = value.DeepClone();
            }
        }
        return result;
    }

    // Lists whose items are identified by name: merging them item by item is what "states only what differs" means.
    private static readonly HashSet<string> KeyedLists = new(StringComparer.Ordinal) { "/stages", "/build/environment" };

    private static JsonArray MergeByName(JsonArray under, JsonArray over, string path)
    {
        var items = under.Select(i => i?.DeepClone()).ToList();
        foreach (var item in over)
        {
            if (item is not JsonObject overItem || NameOf(overItem) is not { } name)
            {
                items.Add(item?.DeepClone());
                continue;
            }
            var index = items.FindIndex(i => i is JsonObject o && NameOf(o) == name);
            var remove = overItem[RemoveField] is JsonValue flag && flag.TryGetValue<bool>(out var set) && set;
            if (index < 0)
            {
                // A removal of a stage the template does not have is kept, so the validator can name it.
                items.Add(overItem.DeepClone());
            }
            else if (remove)
            {
                items.RemoveAt(index);
            }
            else
            {
                items[index] = MergeObjects((JsonObject)items[index]!, overItem, path + "/" + name);
            }
        }
        return new JsonArray([.. items]);
    }

    private static string? NameOf(JsonObject item) => item["name"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : null;
}
