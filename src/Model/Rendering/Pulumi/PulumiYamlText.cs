using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Model.Rendering.Pulumi;

/// <summary>Writes a JSON tree as the YAML of a Pulumi program, byte-stable, and escapes text for Pulumi YAML's interpolation.</summary>
/// <remarks>
/// Written by hand rather than through a YAML library for the same reason as the buildspec: the text is
/// compared with golden files and written to every stack's folder, so it must not change with a library
/// version. Strings are plain when that reads back as the same string, literal blocks when they span lines
/// (buildspecs), otherwise quoted, so every scalar keeps its JSON type.
/// </remarks>
public static class PulumiYamlText
{
    private static readonly JsonSerializerOptions QuotedString = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Pulumi YAML reads <c>${…}</c> in any string as an expression and <c>$$</c> as one <c>$</c>; doubling every <c>$</c> keeps text literal.</summary>
    public static JsonNode? EscapeInterpolation(JsonNode? node) => Map(node, s => s.Replace("$", "$$", StringComparison.Ordinal));

    /// <summary>The literal text of an escaped string: <c>$$</c> back to <c>$</c>. An unescaped <c>${</c> is an expression, which generated programs only use in <c>dependsOn</c>.</summary>
    public static string UnescapeInterpolation(string text) => text.Replace("$$", "$", StringComparison.Ordinal);

    /// <summary>Every string of a tree read back from a program, unescaped.</summary>
    public static JsonNode? UnescapeAll(JsonNode? node) => Map(node, UnescapeInterpolation);

    /// <summary>The YAML text of a JSON tree; it ends with a newline.</summary>
    public static string Write(JsonNode? node)
    {
        var yaml = new StringBuilder();
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                Mapping(yaml, obj, 0);
                break;
            case JsonArray array when array.Count > 0:
                Sequence(yaml, array, 0);
                break;
            default:
                yaml.Append(Scalar(node)).Append('\n');
                break;
        }
        return yaml.ToString();
    }

    private static void Mapping(StringBuilder yaml, JsonObject obj, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && firstInline))
            {
                yaml.Append(' ', indent);
            }
            first = false;
            yaml.Append(String(key)).Append(':');
            Value(yaml, value, indent);
        }
    }

    private static void Sequence(StringBuilder yaml, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            yaml.Append(' ', indent).Append('-');
            if (item is JsonObject obj && obj.Count > 0)
            {
                yaml.Append(' ');
                Mapping(yaml, obj, indent + 2, firstInline: true);
            }
            else
            {
                Value(yaml, item, indent);
            }
        }
    }

    // What follows "key:" or "-": a scalar on the same line, else a nested block indented by two.
    private static void Value(StringBuilder yaml, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                yaml.Append('\n');
                Mapping(yaml, obj, indent + 2);
                break;
            case JsonArray array when array.Count > 0:
                yaml.Append('\n');
                Sequence(yaml, array, indent + 2);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && LiteralBlock(v.GetValue<string>()) is { } header:
                yaml.Append(' ').Append(header).Append('\n');
                var text = v.GetValue<string>();
                foreach (var line in (text.EndsWith('\n') ? text[..^1] : text).Split('\n'))
                {
                    if (line.Length > 0)
                    {
                        yaml.Append(' ', indent + 2).Append(line);
                    }
                    yaml.Append('\n');
                }
                break;
            default:
                yaml.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    // "|" keeps the one final newline, "|-" none; anything else (leading space, several final newlines,
    // control characters) is written double-quoted instead.
    private static string? LiteralBlock(string text)
    {
        if (!text.Contains('\n', StringComparison.Ordinal) || text.StartsWith(' ') || text.StartsWith('\n')
            || text.EndsWith("\n\n", StringComparison.Ordinal) || text.Any(c => c != '\n' && (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')))
        {
            return null;
        }
        return text.EndsWith('\n') ? "|" : "|-";
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => String(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => "null",
        },
        _ => throw new ArgumentException($"no YAML form for {node.GetType().Name}", nameof(node)),
    };

    private static string String(string text) =>
        text.Any(c => char.IsControl(c) || c > '\u007e')
            ? JsonSerializer.Serialize(text, QuotedString)
            : BuildspecRenderer.YamlScalar(text);

    private static JsonNode? Map(JsonNode? node, Func<string, string> map) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Map(p.Value, map)))),
        JsonArray array => new JsonArray(array.Select(i => Map(i, map)).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(map(v.GetValue<string>())),
        _ => node?.DeepClone(),
    };
}
