using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Controller.Cli;

/// <summary>Prints documents as JSON or YAML; YAML is produced from the same JSON, so both show the same fields.</summary>
public static class DocumentOutput
{
    public static string Json(PulumiPipeline document) => JsonSerializer.Serialize(document, ModelJsonContext.Default.PulumiPipeline);

    public static string Json(IReadOnlyList<PulumiPipeline> documents) =>
        JsonSerializer.Serialize(documents.ToList(), ModelJsonContext.Default.ListPulumiPipeline);

    public static string Yaml(PulumiPipeline document) => ToYaml(JsonNode.Parse(Json(document)));

    /// <summary>One YAML document per item, separated by <c>---</c>.</summary>
    public static string Yaml(IReadOnlyList<PulumiPipeline> documents) =>
        string.Join("---\n", documents.Select(Yaml));

    private static string ToYaml(JsonNode? root)
    {
        var stream = new YamlStream(new YamlDocument(ToNode(root)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit "..." marker; a single document reads better without it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode ToNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var mapping = new YamlMappingNode();
                foreach (var (key, value) in obj)
                {
                    mapping.Add(new YamlScalarNode(key), ToNode(value));
                }
                return mapping;
            case JsonArray array:
                var sequence = new YamlSequenceNode();
                foreach (var item in array)
                {
                    sequence.Add(ToNode(item));
                }
                return sequence;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                // Quote strings a YAML reader would take for another type ("true", "1.0", "null", "") or misparse.
                return new YamlScalarNode(text) { Style = LooksTyped(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
            case null:
                return new YamlScalarNode("null");
            default:
                return new YamlScalarNode(node.ToJsonString());
        }
    }

    private static bool LooksTyped(string text) =>
        text.Length == 0
        || text is "true" or "false" or "null" or "~" or "yes" or "no" or "on" or "off"
        || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal)
        || "-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal);
}
