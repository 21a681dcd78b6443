using System.Text;
using System.Text.Json;

namespace Reconciler.Model.Validation;

/// <summary>Parses document text strictly (no comments, no trailing commas) and reports a syntax error with its line and column.</summary>
internal static class JsonSyntax
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static JsonDocument? TryParse(string source, string text, List<ValidationError> errors)
    {
        // Text read from a file is always valid UTF-16; text handed over in memory may not be, and the parser
        // refuses it with an exception that names no position.
        if (LoneSurrogateAt(text) is { } index)
        {
            var (line, column) = Position(text, index);
            errors.Add(new ValidationError(source, JsonPath.Root,
                $"invalid text at line {line}, column {column}: a lone UTF-16 surrogate is not a Unicode character"));
            return null;
        }
        try
        {
            return JsonDocument.Parse(text, Options);
        }
        catch (JsonException ex)
        {
            errors.Add(new ValidationError(source, JsonPath.Root, Describe(text, ex)));
            return null;
        }
    }

    private static string Describe(string text, JsonException ex)
    {
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        }
        if (cut >= 0)
        {
            reason = reason[..cut];
        }
        reason = Clause.From(OneLine(reason));
        if (ex.LineNumber is not { } line)
        {
            return $"invalid JSON: {reason}";
        }
        var column = ColumnOf(text, (int)Math.Min(line, int.MaxValue), ex.BytePositionInLine ?? 0);
        return $"invalid JSON at line {line + 1}, column {column}: {reason}";
    }

    // The parser's message can quote the offending text, control characters and line breaks included;
    // an error is one line, so they are shown as escapes.
    private static string OneLine(string message)
    {
        if (!message.Any(char.IsControl))
        {
            return message;
        }
        var line = new StringBuilder(message.Length + 8);
        foreach (var c in message)
        {
            if (char.IsControl(c))
            {
                line.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
            }
            else
            {
                line.Append(c);
            }
        }
        return line.ToString();
    }

    private static int? LoneSurrogateAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }
        return null;
    }

    private static (int Line, int Column) Position(string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        return (line, index - lineStart + 1);
    }

    /// <summary>The reader counts bytes of UTF-8 within a line; people count characters.</summary>
    private static long ColumnOf(string text, int line, long bytePosition)
    {
        var start = 0;
        for (var i = 0; i < line; i++)
        {
            var next = text.IndexOf('\n', start);
            if (next < 0)
            {
                return bytePosition + 1;
            }
            start = next + 1;
        }
        var end = text.IndexOf('\n', start);
        var lineText = end < 0 ? text[start..] : text[start..end];
        var bytes = Encoding.UTF8.GetBytes(lineText);
        var prefix = (int)Math.Min(bytePosition, bytes.Length);
        var chars = Encoding.UTF8.GetString(bytes, 0, prefix);
        return chars.EnumerateRunes().Count() + 1;
    }
}
