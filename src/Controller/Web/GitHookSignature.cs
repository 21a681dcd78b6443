using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Controller.Web;

/// <summary>
/// Checks that a git webhook delivery comes from whoever holds the shared secret: GitHub's <c>X-Hub-Signature-256</c>
/// (<c>sha256=</c> and the hex HMAC-SHA256 of the body) or GitLab's <c>X-Gitlab-Token</c> (the secret itself).
/// Comparisons take constant time.
/// </summary>
public sealed class GitHookSignature(string secret)
{
    public const string GitHubHeader = "X-Hub-Signature-256";
    public const string GitLabHeader = "X-Gitlab-Token";
    private const string Prefix = "sha256=";

    private readonly byte[] key = Encoding.UTF8.GetBytes(secret);

    /// <summary>True when either header proves the secret; a request with neither, or a wrong one, is refused.</summary>
    public bool IsValid(ReadOnlySpan<byte> body, string? gitHubSignature, string? gitLabToken)
    {
        if (gitHubSignature is not null)
        {
            if (!gitHubSignature.StartsWith(Prefix, StringComparison.Ordinal) || gitHubSignature.Length != Prefix.Length + 64)
            {
                return false;
            }
            byte[] given;
            try
            {
                given = Convert.FromHexString(gitHubSignature.AsSpan(Prefix.Length));
            }
            catch (FormatException)
            {
                return false;
            }
            return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), given);
        }
        if (gitLabToken is not null)
        {
            // Hash both sides so the comparison does not reveal the secret's length either.
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(key), SHA256.HashData(Encoding.UTF8.GetBytes(gitLabToken)));
        }
        return false;
    }

    /// <summary>The GitHub header value for <paramref name="body"/> (what a sender computes).</summary>
    public string Sign(ReadOnlySpan<byte> body) => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));
}
