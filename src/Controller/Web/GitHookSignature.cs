using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Controller.Web;

/// <summary>
/// Checks that a git webhook delivery comes from whoever holds the shared secret: GitHub's <c>X-Hub-Signature-256</c>
/// (<c>sha256=</c> and the hex HMAC-SHA256 of the body), GitLab's signing token (<c>webhook-signature</c>:
/// <c>v1,</c> and the base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, the Standard Webhooks
/// form) or GitLab's older <c>X-Gitlab-Token</c> (the secret itself). Comparisons take constant time.
/// </summary>
public sealed class GitHookSignature
{
    public const string GitHubHeader = "X-Hub-Signature-256";
    public const string GitLabHeader = "X-Gitlab-Token";
    public const string SignatureHeader = "webhook-signature";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>A signed delivery older or newer than this is refused, so a captured one cannot be replayed later.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string Prefix = "sha256=";
    private const string SignedPrefix = "v1,";
    // Standard Webhooks secrets are written `whsec_<base64 key>`; any other secret is used as its UTF-8 bytes.
    private const string EncodedSecretPrefix = "whsec_";

    private readonly byte[] _key;
    private readonly byte[] _signingKey;
    private readonly TimeProvider _time;

    public GitHookSignature(string secret, TimeProvider? time = null)
    {
        _key = Encoding.UTF8.GetBytes(secret);
        _signingKey = DecodeSigningKey(secret) ?? _key;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True when one of the delivery's headers proves the secret; a request with none, or a wrong one, is refused.</summary>
    public bool IsValid(ReadOnlySpan<byte> body, GitHookHeaders headers)
    {
        if (headers.GitHubSignature is not null)
        {
            return IsValidGitHub(body, headers.GitHubSignature);
        }
        if (headers.Signature is not null)
        {
            return IsValidSigned(body, headers.Id, headers.Timestamp, headers.Signature);
        }
        if (headers.GitLabToken is not null)
        {
            // Hash both sides so the comparison does not reveal the secret's length either.
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(_key), SHA256.HashData(Encoding.UTF8.GetBytes(headers.GitLabToken)));
        }
        return false;
    }

    /// <summary>The GitHub header value for <paramref name="body"/> (what a sender computes).</summary>
    public string Sign(ReadOnlySpan<byte> body) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body));

    /// <summary>The <c>webhook-signature</c> value GitLab sends for a delivery with this id and timestamp (Unix seconds).</summary>
    public string SignDelivery(ReadOnlySpan<byte> body, string id, long timestamp) =>
        SignedPrefix + Convert.ToBase64String(HMACSHA256.HashData(_signingKey, SignedContent(body, id, timestamp.ToString(CultureInfo.InvariantCulture))));

    private bool IsValidGitHub(ReadOnlySpan<byte> body, string signature)
    {
        if (!signature.StartsWith(Prefix, StringComparison.Ordinal) || signature.Length != Prefix.Length + 64)
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, body), given);
    }

    private bool IsValidSigned(ReadOnlySpan<byte> body, string? id, string? timestamp, string signature)
    {
        if (string.IsNullOrEmpty(id) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        DateTimeOffset sent;
        try
        {
            sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
        if ((_time.GetUtcNow() - sent).Duration() > Tolerance)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(_signingKey, SignedContent(body, id, timestamp!));
        // The header may carry several space-separated signatures (during a secret rotation); one valid v1 is enough.
        var valid = false;
        foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!entry.StartsWith(SignedPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var given = new byte[32];
            if (Convert.TryFromBase64String(entry[SignedPrefix.Length..], given, out var written) && written == given.Length)
            {
                valid |= CryptographicOperations.FixedTimeEquals(expected, given);
            }
        }
        return valid;
    }

    private static byte[] SignedContent(ReadOnlySpan<byte> body, string id, string timestamp)
    {
        var head = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[head.Length + body.Length];
        head.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(head.Length));
        return content;
    }

    private static byte[]? DecodeSigningKey(string secret)
    {
        if (!secret.StartsWith(EncodedSecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return Convert.FromBase64String(secret[EncodedSecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>The headers of a git webhook delivery that can carry its proof of origin.</summary>
public sealed record GitHookHeaders(
    string? GitHubSignature = null,
    string? GitLabToken = null,
    string? Signature = null,
    string? Id = null,
    string? Timestamp = null)
{
    /// <summary>True when the delivery carries no proof at all.</summary>
    public bool IsEmpty => GitHubSignature is null && GitLabToken is null && Signature is null;
}
