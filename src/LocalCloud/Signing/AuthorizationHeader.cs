namespace Reconciler.LocalCloud.Signing;

/// <summary>The parts of a SigV4 <c>Authorization</c> header: credential (key and scope), signed header names, signature.</summary>
public sealed record AuthorizationHeader(
    string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=k/d/r/s/aws4_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
    /// <exception cref="AwsServiceException">IncompleteSignatureException naming what is missing or malformed.</exception>
    public static AuthorizationHeader Parse(string header)
    {
        var trimmed = header.Trim();
        if (!trimmed.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            var algorithm = trimmed.Split(' ', 2)[0];
            throw CommonErrors.IncompleteSignature(
                $"Unsupported authorization type '{algorithm}'; only {SigV4.Algorithm} is accepted.");
        }
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in trimmed[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }
        var missing = new[] { "Credential", "SignedHeaders", "Signature" }.Where(p => !parts.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw CommonErrors.IncompleteSignature(
                string.Join(" ", missing.Select(m => $"Authorization header requires '{m}' parameter.")));
        }
        var credential = parts["Credential"].Split('/');
        if (credential.Length != 5 || credential.Any(c => c.Length == 0))
        {
            throw CommonErrors.IncompleteSignature(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/aws4_request.");
        }
        if (credential[4] != SigV4.Terminator)
        {
            throw CommonErrors.InvalidSignature($"Credential should be scoped with a valid terminator: '{SigV4.Terminator}'.");
        }
        var signedHeaders = parts["SignedHeaders"].Split(';', StringSplitOptions.RemoveEmptyEntries);
        return new AuthorizationHeader(credential[0], credential[1], credential[2], credential[3], signedHeaders, parts["Signature"]);
    }
}
