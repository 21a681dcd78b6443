using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Reconciler.Model.Validation;

/// <summary>
/// Decodes document bytes strictly: a byte sequence that is not UTF-8 is an error with its byte offset, never a
/// U+FFFD that would be stored and applied as if the owner had written it.
/// </summary>
public static class Utf8Text
{
    /// <summary>The invalid sequence: its offset from the first byte of the input (byte order mark included) and what is wrong.</summary>
    public sealed record Invalid(long Offset, string Reason);

    /// <summary>The text (a leading byte order mark dropped), or null with <paramref name="invalid"/> set.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> bytes, out Invalid? invalid)
    {
        invalid = null;
        var skipped = bytes.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        bytes = bytes[skipped..];
        var chars = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            return new string(chars, 0, written);
        }
        var rest = bytes[read..];
        // The whole input is one final block, so a sequence cut off by the end shows as NeedMoreData here.
        var decoded = Rune.DecodeFromUtf8(rest, out _, out var consumed);
        var truncated = decoded == OperationStatus.NeedMoreData;
        var length = truncated ? rest.Length : Math.Max(1, consumed);
        var shown = string.Join(" ", rest[..Math.Min(length, 4)].ToArray().Select(b => $"0x{b:X2}"));
        var reason = truncated
            ? $"the text ends inside a UTF-8 sequence ({shown})"
            : $"{shown} is not a UTF-8 sequence";
        invalid = new Invalid(skipped + read, reason);
        return null;
    }
}
