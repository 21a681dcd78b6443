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
        reason = Clause.From(reason);
        if (ex.LineNumber is not { } line)
        {
            return $"invalid JSON: {reason}";
        }
        var column = ColumnOf(text, (int)Math.Min(line, int.MaxValue), ex.BytePositionInLine ?? 0);
        return $"invalid JSON at line {line + 1}, column {column}: {reason}";
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
