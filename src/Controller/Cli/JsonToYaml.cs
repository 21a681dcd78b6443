using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Controller.Cli;

/// <summary>Writes a JSON tree as YAML with the same names and values, so YAML output never drifts from the JSON contract.</summary>
/// <remarks>
/// Multi-line strings (buildspecs) become literal blocks; strings a YAML reader would take for a
/// number, boolean, null or timestamp are double-quoted, so every value reads back with its JSON type.
/// </remarks>
public static partial class JsonToYaml
{
    public static string Convert(JsonNode? node)
    {
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit "..." marker; a single document needs none.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        JsonObject obj => new YamlMappingNode(obj.Where(p => p.Value is not null)
            .Select(p => new KeyValuePair<YamlNode, YamlNode>(String(p.Key), ToYaml(p.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToYaml)),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => String(value.GetValue<string>()),
            JsonValueKind.True => new YamlScalarNode("true") { Style = ScalarStyle.Plain },
            JsonValueKind.False => new YamlScalarNode("false") { Style = ScalarStyle.Plain },
            _ => new YamlScalarNode(value.ToJsonString()) { Style = ScalarStyle.Plain },
        },
        _ => throw new ArgumentException($"unexpected JSON node {node.GetType().Name}", nameof(node)),
    };

    private static YamlScalarNode String(string text) => new(text)
    {
        Style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ImplicitlyTyped().IsMatch(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any,
    };

    // Plain scalars that YAML 1.1 or 1.2 readers resolve to something other than a string: null,
    // booleans (including yes/no/on/off), numbers in any base, infinities, NaN, timestamps, merge keys.
    [GeneratedRegex(
        @"^(|~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<" +
        @"|[-+]?(\.[0-9]+|[0-9][0-9_,:.]*)([eE][-+]?[0-9]+)?|[-+]?0[xob][0-9a-fA-F_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)" +
        @"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ImplicitlyTyped();
}
