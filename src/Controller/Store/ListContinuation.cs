using System.Buffers.Text;
using System.Text;

namespace Reconciler.Controller.Store;

/// <summary>
/// The opaque continue token of a paged list: the list's version (so every page reports the first page's version,
/// and a watch from it misses nothing) and the last name returned.
/// </summary>
internal sealed record ListContinuation(string Version, string After)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}\n{After}"));

    public static ListContinuation? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"continue token '{token}' is not one this store issued", nameof(token), e);
        }
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            throw new ArgumentException($"continue token '{token}' is not one this store issued", nameof(token));
        }
        return new ListContinuation(text[..newline], text[(newline + 1)..]);
    }
}
