using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Validation;

/// <summary>
/// Reads the typed document even when some values have the wrong type: those values are left out (a field) or
/// nulled (an array item), so the semantic rules can still run on everything else and report all errors at once.
/// </summary>
internal static class DocumentReader
{
    private const int MaxRepairs = 32;

    /// <summary>Returns the document (null if it cannot be read at all) and adds the paths it had to leave out to <paramref name="leftOut"/>.</summary>
    public static PulumiPipeline? Read(JsonElement root, IReadOnlySet<string> skip, List<(string Path, string Reason)> leftOut)
    {
        var tree = Copy(root, JsonPath.Root, skip);
        for (var attempt = 0; attempt < MaxRepairs && tree is not null; attempt++)
        {
            try
            {
                return tree.Deserialize(ModelJsonContext.Default.PulumiPipeline);
            }
            catch (JsonException ex) when (ex.Path is not null && Remove(tree, ex.Path) is { } removed)
            {
                leftOut.Add((removed, Reason(ex)));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
            {
                leftOut.Add((JsonPath.Root, Reason(ex)));
                return null;
            }
        }
        return null;
    }

    private static JsonNode? Copy(JsonElement element, string path, IReadOnlySet<string> skip)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = JsonPath.Field(path, property.Name);
                    if (!skip.Contains(childPath))
                    {
                        // Duplicate fields: keep the last, as the serializer would (the duplicate is reported anyway).
                        obj[property.Name] = Copy(property.Value, childPath, skip);
                    }
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var itemPath = JsonPath.Item(path, i++);
                    array.Add(skip.Contains(itemPath) ? null : Copy(item, itemPath, skip));
                }
                return array;
            default:
                return JsonValue.Create(element);
        }
    }

    /// <summary>Removes the node the serializer choked on (it names it by its own path syntax) and returns our path for it.</summary>
    private static string? Remove(JsonNode root, string serializerPath)
    {
        var found = Find(root, JsonPath.Root, serializerPath);
        if (found is not { } hit || hit.Node.Parent is not { } parent)
        {
            return null;
        }
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(hit.Node.GetPropertyName());
                break;
            case JsonArray array:
                array[hit.Node.GetElementIndex()] = null;
                break;
        }
        return hit.Path;
    }

    private static (JsonNode Node, string Path)? Find(JsonNode node, string path, string serializerPath)
    {
        if (node.GetPath() == serializerPath)
        {
            return (node, path);
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is not null && Find(child, JsonPath.Field(path, name), serializerPath) is { } hit)
                    {
                        return hit;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child && Find(child, JsonPath.Item(path, i), serializerPath) is { } hit)
                    {
                        return hit;
                    }
                }
                break;
        }
        return null;
    }

    private static string Reason(Exception ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }
}
