using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.Model.Serialization;

/// <summary>A canonical JSON form (RFC 8785 JCS-like) and its SHA-256, so equal values hash equally on every machine.</summary>
/// <remarks>
/// Object members are sorted by ordinal (UTF-16 code unit) order, there is no insignificant whitespace,
/// object members whose value is null are omitted (absent and null mean the same in the AWS JSON
/// protocols and in our documents), strings carry only the escapes JSON requires, and numbers take
/// the ECMAScript shortest round-trip form. Two deliberate departures from RFC 8785: null members are
/// dropped, and integers written without fraction or exponent keep all their digits instead of
/// passing through a double, so large integers never lose precision.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The canonical text of a JSON node (<c>null</c> for a null node).</summary>
    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    /// <summary>The canonical text of a value, serialized through its source-generated metadata.</summary>
    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo) =>
        Serialize(JsonSerializer.SerializeToNode(value, typeInfo));

    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of a text.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Lower-case hex SHA-256 of a node's canonical form.</summary>
    public static string Hash(JsonNode? node) => Sha256Hex(Serialize(node));

    /// <summary>Lower-case hex SHA-256 of a value's canonical form.</summary>
    public static string Hash<T>(T value, JsonTypeInfo<T> typeInfo) => Sha256Hex(Serialize(value, typeInfo));

    private static void Write(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case null:
                output.Append("null");
                break;
            case JsonObject obj:
                output.Append('{');
                var first = true;
                foreach (var (name, value) in obj.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        output.Append(',');
                    }
                    first = false;
                    WriteString(name, output);
                    output.Append(':');
                    Write(value, output);
                }
                output.Append('}');
                break;
            case JsonArray array:
                output.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(',');
                    }
                    Write(array[i], output);
                }
                output.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, output);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder output)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), output);
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Number:
                // The node's own JSON text is the one representation every backing type (JsonElement,
                // int, long, double, decimal) agrees on; normalize from it.
                output.Append(Number(value.ToJsonString()));
                break;
            default:
                output.Append("null");
                break;
        }
    }

    /// <summary>The canonical form of a JSON number literal.</summary>
    internal static string Number(string literal)
    {
        if (!literal.AsSpan().ContainsAny('.', 'e', 'E'))
        {
            // An integer literal: exact, whatever its size.
            return BigInteger.Parse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        var number = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        return EcmaScriptNumber(number);
    }

    // ECMAScript Number::toString: the shortest digits that round-trip, placed by the rules of
    // ECMA-262 7.1.12.1, which RFC 8785 adopts for numbers.
    private static string EcmaScriptNumber(double number)
    {
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            throw new ArgumentOutOfRangeException(nameof(number), "JSON has no NaN or infinity.");
        }
        if (number == 0)
        {
            return "0";
        }
        var sign = number < 0 ? "-" : "";
        var roundTrip = Math.Abs(number).ToString("R", CultureInfo.InvariantCulture);
        // "R" yields the shortest round-trip digits as either "123.45" or "1.2345E+21".
        var exponentAt = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var integerDigits = point < 0 ? mantissa.Length : point;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        // The value is 0.d1d2...dk × 10^n.
        var n = integerDigits - leadingZeros + exponent;
        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var expText = (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
            text = (k == 1 ? digits : digits[..1] + "." + digits[1..]) + "e" + expText;
        }
        return sign + text;
    }

    private static void WriteString(string text, StringBuilder output)
    {
        output.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\b':
                    output.Append("\\b");
                    break;
                case '\f':
                    output.Append("\\f");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                default:
                    if (c < 0x20 || IsLoneSurrogate(text, i))
                    {
                        // Lone surrogates have no UTF-8 form; escaping keeps the output valid and stable.
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                        if (char.IsHighSurrogate(c))
                        {
                            output.Append(text[++i]);
                        }
                    }
                    break;
            }
        }
        output.Append('"');
    }

    private static bool IsLoneSurrogate(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }
        return char.IsLowSurrogate(c);
    }
}
