using System.Globalization;
using System.Text;

namespace Reconciler.Model.Validation;

/// <summary>Renders a user-supplied value inside an error message: quoted, control characters escaped, long values shortened.</summary>
internal static class Quoted
{
    private const int MaxShown = 80;

    public static string Text(string? value)
    {
        value ??= "";
        if (value.Length <= MaxShown)
        {
            return $"\"{Escape(value, '"')}\"";
        }
        var cut = char.IsHighSurrogate(value[MaxShown - 1]) ? MaxShown - 1 : MaxShown;
        return $"\"{Escape(value[..cut], '"')}…\" ({value.Length} characters)";
    }

    public static string List(IEnumerable<string> values) => string.Join(", ", values);

    /// <summary>Escapes the quote character, backslashes, control characters and lone surrogates so a message stays one printable line.</summary>
    public static string Escape(string value, char quote)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == quote || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029')
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
