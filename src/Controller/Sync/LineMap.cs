using System.Text;
using System.Text.Json;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Sync;

/// <summary>The line each JSON path of a document starts on, so an error found on the JSON form points back into its file.</summary>
public sealed class LineMap
{
    private readonly Dictionary<string, int> _lines;
    private readonly int _firstLine;

    public LineMap(Dictionary<string, int> lines, int firstLine)
    {
        _lines = lines;
        _firstLine = firstLine;
    }

    /// <summary>The line of <paramref name="path"/>, or of its nearest ancestor that exists (a missing field points at its parent).</summary>
    public int LineOf(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
        {
            if (_lines.TryGetValue(current, out var line))
            {
                return line;
            }
        }
        return _firstLine;
    }

    /// <summary>Indexes JSON text (1-based lines); text that does not parse gives a map of its first line only.</summary>
    public static LineMap OfJson(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        int LineAt(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        // Each open container: its path, and the next index for arrays (-1 for objects).
        var stack = new Stack<(string Path, int NextIndex)>();
        string? pendingField = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    pendingField = JsonPath.Field(stack.Peek().Path, reader.GetString() ?? "");
                    map.TryAdd(pendingField, LineAt(reader.TokenStartIndex));
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }
                string path;
                if (pendingField is not null)
                {
                    path = pendingField;
                    pendingField = null;
                }
                else if (stack.Count == 0)
                {
                    path = JsonPath.Root;
                    map.TryAdd(path, LineAt(reader.TokenStartIndex));
                }
                else
                {
                    var (parent, next) = stack.Pop();
                    stack.Push((parent, next + 1));
                    path = JsonPath.Item(parent, next);
                    map.TryAdd(path, LineAt(reader.TokenStartIndex));
                }
                if (reader.TokenType is JsonTokenType.StartObject)
                {
                    stack.Push((path, -1));
                }
                else if (reader.TokenType is JsonTokenType.StartArray)
                {
                    stack.Push((path, 0));
                }
            }
        }
        catch (JsonException)
        {
            // The validator reports the syntax error with its own position; what was indexed so far still helps.
        }
        return new LineMap(map, 1);
    }

    private static string Parent(string path)
    {
        if (path == JsonPath.Root)
        {
            return "";
        }
        // The last segment is .name, ['name'] or [n]; quoted names may contain anything, so scan from the end carefully.
        if (path.EndsWith("']", StringComparison.Ordinal))
        {
            var open = path.LastIndexOf("['", StringComparison.Ordinal);
            return open > 0 ? path[..open] : JsonPath.Root;
        }
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut > 0 ? path[..cut] : JsonPath.Root;
    }
}
