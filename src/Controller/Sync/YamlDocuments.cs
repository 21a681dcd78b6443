using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Model.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Reads a YAML file (one document or a <c>---</c> stream) into JSON text per document, with the line of every JSON path,
/// so the JSON validator's errors point back to YAML lines. Scalars are typed as YAML 1.2's core schema types them.
/// </summary>
public static class YamlDocuments
{
    /// <summary>One document of the stream: its JSON text, the line it starts on, and its line map.</summary>
    public sealed record Item(string Json, int Line, LineMap Lines);

    /// <exception cref="YamlException">The text is not well-formed YAML; <see cref="YamlException.Start"/> says where.</exception>
    public static IReadOnlyList<Item> Read(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var items = new List<Item>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            // A stream's empty documents (a leading or trailing ---) declare nothing.
            if (root is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" })
            {
                continue;
            }
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            var json = Convert(root, JsonPath.Root, lines);
            var line = Line(root);
            items.Add(new Item(json?.ToJsonString() ?? "null", line, new LineMap(lines, line)));
        }
        return items;
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, int> lines)
    {
        lines.TryAdd(path, Line(node));
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    var child = JsonPath.Field(path, name);
                    lines.TryAdd(child, Line(key));
                    // A key given twice: JSON keeps one, and the JSON form cannot show the duplicate to the validator.
                    if (obj.ContainsKey(name))
                    {
                        throw new YamlException(key.Start, key.End, $"duplicate key '{name}'; each key may appear only once in a mapping");
                    }
                    obj[name] = Convert(value, child, lines);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                var index = 0;
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, JsonPath.Item(path, index++), lines));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag;
        if (scalar.Style != ScalarStyle.Plain || (!tag.IsEmpty && !tag.IsNonSpecific && tag.Value is "tag:yaml.org,2002:str" or "!!str"))
        {
            return JsonValue.Create(value);
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (LooksNumeric(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }

    // The core schema's float form; .NET would also accept "Infinity" or " 1", which YAML reads as strings.
    private static bool LooksNumeric(string value) =>
        value.Length > 0 && (char.IsAsciiDigit(value[0]) || (value.Length > 1 && value[0] is '-' or '+' or '.' && (char.IsAsciiDigit(value[1]) || value[1] == '.')))
        && value.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+');

    private static int Line(YamlNode node) => (int)Math.Max(1, node.Start.Line);
}
