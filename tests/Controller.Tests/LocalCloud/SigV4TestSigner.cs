using System.Net.Http.Headers;
using Reconciler.LocalCloud.Signing;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>Signs a test request the way an AWS SDK does: X-Amz-Date, then an Authorization header over host, date, target and content type.</summary>
internal static class SigV4TestSigner
{
    public static void Sign(HttpRequestMessage request, byte[] body, SigningIdentity identity, DateTimeOffset now)
    {
        var amzDate = SigV4.FormatAmzDate(now);
        var uri = request.RequestUri!;
        request.Headers.Host = uri.Authority;
        request.Headers.Add("X-Amz-Date", amzDate);
        var headers = new List<(string Name, string Value)>
        {
            ("host", uri.Authority),
            ("x-amz-date", amzDate),
        };
        if (request.Headers.TryGetValues("X-Amz-Target", out var target))
        {
            headers.Add(("x-amz-target", target.Single()));
        }
        if (request.Content?.Headers.ContentType is MediaTypeHeaderValue contentType)
        {
            headers.Add(("content-type", contentType.ToString()));
        }
        var signature = SigV4.ComputeSignature(
            identity.SecretAccessKey, amzDate, identity.Region, identity.Service,
            request.Method.Method, uri.AbsolutePath, uri.Query, headers, SigV4.HashHex(body));
        var signedHeaders = string.Join(";", headers.Select(h => h.Name).Order(StringComparer.Ordinal));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{SigV4.Algorithm} Credential={identity.AccessKeyId}/{amzDate[..8]}/{identity.Region}/{identity.Service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}");
    }
}

/// <summary>Who signs, and for which region and service.</summary>
internal sealed record SigningIdentity(string AccessKeyId, string SecretAccessKey, string Region, string Service);
