using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reconciler.LocalCloud.Signing;

/// <summary>The AWS Signature Version 4 algorithm, from the public specification: canonical request, string to sign, key derivation.</summary>
/// <remarks>
/// Used by the verifier to recompute a request's signature, and by tests to sign requests. It is checked
/// against the published vectors of the AWS SigV4 test suite.
/// </remarks>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The canonical request: method, canonical path, canonical query, canonical headers, signed header names, payload hash.</summary>
    /// <param name="headers">The signed headers as (lower-case name, raw value) pairs; repeated names are joined with commas.</param>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, IEnumerable<(string Name, string Value)> headers, string payloadHash)
    {
        var grouped = headers
            .GroupBy(h => h.Name.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => CanonicalHeaderValue(h.Value)))))
            .ToList();
        var builder = new StringBuilder();
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(rawPath)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var (name, value) in grouped)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
        builder.Append('\n');
        builder.Append(string.Join(";", grouped.Select(h => h.Name))).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>The credential scope: <c>date/region/service/aws4_request</c>.</summary>
    public static string Scope(string date, string region, string service) => $"{date}/{region}/{service}/{Terminator}";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
    }

    public static string Signature(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The full computation for one request, from its parts to the hex signature.</summary>
    public static string ComputeSignature(
        string secretAccessKey, string amzDate, string region, string service,
        string method, string rawPath, string rawQuery, IEnumerable<(string Name, string Value)> signedHeaders, string payloadHash)
    {
        var date = amzDate[..8];
        var canonical = CanonicalRequest(method, rawPath, rawQuery, signedHeaders, payloadHash);
        var toSign = StringToSign(amzDate, Scope(date, region, service), canonical);
        return Signature(SigningKey(secretAccessKey, date, region, service), toSign);
    }

    public static string HashHex(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    public static string FormatAmzDate(DateTimeOffset time) => time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    public static bool TryParseAmzDate(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>The path, normalized (dot segments and empty segments removed) and each segment URI-encoded once more, as for every service but S3.</summary>
    public static string CanonicalPath(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath) || rawPath == "/")
        {
            return "/";
        }
        var segments = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
                continue;
            }
            segments.Add(UriEncode(segment, encodeSlash: true));
        }
        var path = "/" + string.Join("/", segments);
        return rawPath.EndsWith('/') && segments.Count > 0 ? path + "/" : path;
    }

    /// <summary>The query parameters decoded, re-encoded with the SigV4 rules, sorted by name then value, joined with <c>&amp;</c>.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0)
        {
            return "";
        }
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? p : p[..eq];
                var value = eq < 0 ? "" : p[(eq + 1)..];
                return (Name: UriEncode(Uri.UnescapeDataString(name), true), Value: UriEncode(Uri.UnescapeDataString(value), true));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join("&", pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: unreserved characters stay, everything else is <c>%XX</c> (upper-case hex) of its UTF-8 bytes.</summary>
    public static string UriEncode(string text, bool encodeSlash)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>Header values are trimmed and runs of spaces collapse to one.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value.Trim())
        {
            var space = c == ' ';
            if (!(space && previousSpace))
            {
                builder.Append(c);
            }
            previousSpace = space;
        }
        return builder.ToString();
    }
}
