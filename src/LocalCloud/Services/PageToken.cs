using System.Globalization;
using System.Text;

namespace Reconciler.LocalCloud.Services;

/// <summary>Opaque paging tokens (an offset, base64-wrapped so clients treat it as opaque) and the paging itself.</summary>
internal static class PageToken
{
    private const string Prefix = "localcloud-page:";

    public static string Encode(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The offset a token stands for (0 without one).</summary>
    /// <exception cref="AwsServiceException">The service's invalid-token error, from <paramref name="invalid"/>.</exception>
    public static int Decode(string? token, Func<AwsServiceException> invalid)
    {
        if (token is null)
        {
            return 0;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }
        throw invalid();
    }

    /// <summary>One page of items from an offset, and the token of the next page (null on the last).</summary>
    public static (List<T> Page, string? Next) Page<T>(IReadOnlyList<T> items, int offset, int size)
    {
        var page = items.Skip(offset).Take(size).ToList();
        var next = offset + page.Count < items.Count ? Encode(offset + page.Count) : null;
        return (page, next);
    }
}
