using System.Text.Json;

namespace Reconciler.Model.Validation;

/// <summary>
/// A parsed document with the JSON path and document-order position of every node, so errors found in any
/// order can be reported in the order a reader meets them, and schema locations can be turned into our paths.
/// </summary>
internal sealed class DocumentTree
{
    private readonly Dictionary<string, (int Start, int End)> _spans = new(StringComparer.Ordinal);
    private readonly List<ValidationError> _duplicateFields = [];
    private readonly List<ValidationError> _invalidText = [];
    private int _next;

    private DocumentTree(JsonElement root, string source)
    {
        Root = root;
        Visit(root, JsonPath.Root, source);
    }

    public JsonElement Root { get; }

    /// <summary>Fields given twice in one object: JSON parsers keep only one of them, silently.</summary>
    public IReadOnlyList<ValidationError> DuplicateFields => _duplicateFields;

    /// <summary>Strings whose escapes decode to lone surrogates: not Unicode text, so nothing further can read them.</summary>
    public IReadOnlyList<ValidationError> InvalidText => _invalidText;

    public static DocumentTree Index(JsonElement root, string source) => new(root, source);

    /// <summary>A sort key that places an error at its node, or just after the nearest existing ancestor's subtree.</summary>
    public (int Position, int AfterSubtree) OrderOf(string path)
    {
        if (_spans.TryGetValue(path, out var span))
        {
            return (span.Start, 0);
        }
        for (var parent = ParentOf(path); parent is not null; parent = ParentOf(parent))
        {
            if (_spans.TryGetValue(parent, out var ancestor))
            {
                return (ancestor.End, 1);
            }
        }
        return (int.MaxValue, 1);
    }

    /// <summary>Follows JSON Pointer segments from the root; returns our path and the element there, if it exists.</summary>
    public (string Path, JsonElement? Element) Locate(IReadOnlyList<string> segments)
    {
        var path = JsonPath.Root;
        JsonElement? current = Root;
        foreach (var segment in segments)
        {
            if (current is { ValueKind: JsonValueKind.Array } array
                && int.TryParse(segment, System.Globalization.NumberStyles.None, null, out var index))
            {
                path = JsonPath.Item(path, index);
                current = index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                path = JsonPath.Field(path, segment);
                current = current is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child)
                    ? child
                    : null;
            }
        }
        return (path, current);
    }

    private void Visit(JsonElement element, string path, string source)
    {
        var start = _next++;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsText(() => property.Name))
                    {
                        _invalidText.Add(new ValidationError(source, path, InvalidTextMessage("a field name")));
                        continue;
                    }
                    var childPath = JsonPath.Field(path, property.Name);
                    if (!seen.Add(property.Name))
                    {
                        _duplicateFields.Add(new ValidationError(source, childPath,
                            $"duplicate field {Quoted.Text(property.Name)}; each field may appear only once in an object"));
                        continue;
                    }
                    Visit(property.Value, childPath, source);
                }
                break;
            case JsonValueKind.String when !IsText(element.GetString):
                _invalidText.Add(new ValidationError(source, path, InvalidTextMessage("the string")));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, JsonPath.Item(path, i++), source);
                }
                break;
        }
        _spans[path] = (start, _next - 1);
    }

    private static bool IsText(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string InvalidTextMessage(string what) =>
        $"{what} contains an escaped lone surrogate (such as \\ud800 without its pair), which is not Unicode text; write the character itself or a complete pair";

    /// <summary>The path one level up, parsing our own path syntax; null for the root.</summary>
    internal static string? ParentOf(string path)
    {
        if (path.Length <= 1)
        {
            return null;
        }
        var lastSegmentStart = -1;
        var i = 1;
        while (i < path.Length)
        {
            lastSegmentStart = i;
            if (path[i] == '.')
            {
                i++;
                while (i < path.Length && path[i] != '.' && path[i] != '[')
                {
                    i++;
                }
            }
            else if (i + 1 < path.Length && path[i] == '[' && path[i + 1] == '\'')
            {
                i += 2;
                while (i < path.Length && path[i] != '\'')
                {
                    i += path[i] == '\\' ? 2 : 1;
                }
                i += 2; // closing quote and bracket
            }
            else
            {
                i++;
                while (i < path.Length && path[i] != ']')
                {
                    i++;
                }
                i++;
            }
        }
        return lastSegmentStart <= 0 ? null : path[..lastSegmentStart];
    }
}
