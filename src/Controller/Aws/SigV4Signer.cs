using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Reconciler.Controller.Aws;

/// <summary>Signs an <see cref="HttpRequestMessage"/> with AWS Signature Version 4 (header form).</summary>
/// <remarks>
/// The SDK's <see cref="AWS4Signer"/> signs only its own request type, so the canonical request and string to
/// sign are built here per the published algorithm; the SDK derives the signing key and computes the HMAC.
/// The derived key is cached per secret, day, region and service, as the algorithm allows: deriving it takes
/// four HMACs, which dominated the cost of a call.
/// Signed headers: <c>host</c>, <c>content-type</c> (when there is content) and every <c>x-amz-*</c> header.
/// </remarks>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private const int MaxCachedKeys = 64;

    private static readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> SigningKeys = new();

    /// <summary>Sets <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> (with session credentials) and <c>Authorization</c>.</summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> payload, ImmutableCredentials credentials, string region, string service, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        var utc = signingTime.UtcDateTime;
        var headers = request.Headers;
        headers.Remove("X-Amz-Date");
        headers.Remove("X-Amz-Security-Token");
        headers.Remove("Authorization");
        headers.TryAddWithoutValidation("X-Amz-Date", utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        if (credentials.UseToken)
        {
            headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        var (canonicalRequest, signedHeaders) = CanonicalRequest(request, payload);
        var date = utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{utc:yyyyMMdd'T'HHmmss'Z'}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var signature = AWS4Signer.ComputeKeyedHash(SigningAlgorithm.HmacSHA256, SigningKey(credentials.SecretKey, date, region, service), stringToSign);
        headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={Convert.ToHexStringLower(signature)}");
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = (secret, date, region, service);
        if (SigningKeys.TryGetValue(key, out var cached))
        {
            return cached;
        }
        if (SigningKeys.Count >= MaxCachedKeys)
        {
            SigningKeys.Clear();
        }
        return SigningKeys[key] = AWS4Signer.ComposeSigningKey(secret, region, date, service);
    }

    /// <summary>The canonical request and its signed-header list, as the signature covers them.</summary>
    public static (string CanonicalRequest, string SignedHeaders) CanonicalRequest(HttpRequestMessage request, ReadOnlySpan<byte> payload)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = request.Headers.Host ?? uri.Authority,
        };
        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                signed[header.Key.ToLowerInvariant()] = string.Join(',', header.Value.Select(CanonicalValue));
            }
        }
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            signed["content-type"] = CanonicalValue(contentType.ToString());
        }

        var signedHeaders = string.Join(';', signed.Keys);
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri)).Append('\n')
            .Append(CanonicalQuery(uri)).Append('\n');
        foreach (var (name, value) in signed)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
        builder.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(payload)));
        return (builder.ToString(), signedHeaders);
    }

    private static string CanonicalValue(string value) =>
        string.Join(' ', value.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    // Each segment is URI-encoded once from its decoded form (the JSON protocols always post to "/").
    private static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (path.Length == 0 || path == "/")
        {
            return "/";
        }
        return string.Join('/', path.Split('/').Select(segment => Encode(Uri.UnescapeDataString(segment))));
    }

    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return "";
        }
        return string.Join('&', query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? "" : pair[(equals + 1)..];
                return (Key: Encode(Uri.UnescapeDataString(key)), Value: Encode(Uri.UnescapeDataString(value)));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    // RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes, upper-case hex.
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
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
}
