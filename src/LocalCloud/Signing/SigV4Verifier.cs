using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Reconciler.LocalCloud.Signing;

/// <summary>Checks that a request is SigV4-signed for the right service and region, and (with known keys) that its signature is right.</summary>
internal sealed class SigV4Verifier(SignatureVerification mode, string region, TimeProvider time)
{
    // AWS rejects requests whose X-Amz-Date is more than 15 minutes away from its clock.
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    public SignatureVerification Mode => mode;

    /// <exception cref="AwsServiceException">MissingAuthenticationToken, IncompleteSignature, InvalidSignature or UnrecognizedClient.</exception>
    public void Verify(HttpRequest request, byte[] body, string signingName)
    {
        if (mode is SignatureVerification.OffMode)
        {
            return;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
        {
            throw CommonErrors.MissingAuthenticationToken();
        }
        var header = AuthorizationHeader.Parse(authorization);
        var (amzDate, signedAt) = RequestDate(request);
        if (header.Date != amzDate[..8])
        {
            throw CommonErrors.InvalidSignature(
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{header.Date}' != '{amzDate[..8]}'");
        }
        if (header.Service != signingName)
        {
            throw CommonErrors.InvalidSignature($"Credential should be scoped to correct service: '{signingName}'.");
        }
        if (header.Region != region)
        {
            throw CommonErrors.InvalidSignature($"Credential should be scoped to a valid region, not '{header.Region}'.");
        }
        if (!header.SignedHeaders.Contains("host", StringComparer.Ordinal))
        {
            throw CommonErrors.InvalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (mode is not SignatureVerification.VerifyWithKeysMode keys)
        {
            return;
        }
        if (!keys.SecretsByAccessKeyId.TryGetValue(header.AccessKeyId, out var secret))
        {
            throw CommonErrors.UnrecognizedClient();
        }
        var now = time.GetUtcNow();
        if (signedAt < now - AllowedSkew || signedAt > now + AllowedSkew)
        {
            throw CommonErrors.InvalidSignature(
                $"Signature expired: {amzDate} is now earlier than {SigV4.FormatAmzDate(now - AllowedSkew)} ({SigV4.FormatAmzDate(now)} - 15 min.)");
        }
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];
        var signedHeaders = header.SignedHeaders
            .SelectMany(name => HeaderValues(request, name).Select(value => (name, value)))
            .ToList();
        var expected = SigV4.ComputeSignature(
            secret, amzDate, header.Region, header.Service, request.Method, rawPath, rawQuery, signedHeaders, SigV4.HashHex(body));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header.Signature)))
        {
            throw CommonErrors.InvalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
    }

    private static (string AmzDate, DateTimeOffset SignedAt) RequestDate(HttpRequest request)
    {
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length > 0)
        {
            if (!SigV4.TryParseAmzDate(amzDate, out var signedAt))
            {
                throw CommonErrors.IncompleteSignature($"X-Amz-Date must be in the ISO-8601 basic format yyyyMMdd'T'HHmmss'Z', got '{amzDate}'.");
            }
            return (amzDate, signedAt);
        }
        var date = request.Headers.Date.ToString();
        if (date.Length > 0 && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return (SigV4.FormatAmzDate(parsed), parsed);
        }
        throw CommonErrors.IncompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    private static IEnumerable<string> HeaderValues(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        return values.Count == 0 ? [""] : values.Select(v => v ?? "");
    }
}
