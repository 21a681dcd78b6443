namespace Reconciler.Controller.Aws;

/// <summary>Finds the region and the endpoint of a service the way the AWS SDKs do.</summary>
/// <remarks>
/// Precedence: the explicit per-service option, the explicit global option, <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>,
/// <c>AWS_ENDPOINT_URL</c> (both ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>), then
/// <c>https://&lt;prefix&gt;.&lt;region&gt;.amazonaws.com</c>.
/// </remarks>
public static class AwsEndpointResolver
{
    public static string ResolveRegion(AwsClientOptions options, Func<string, string?> environment)
    {
        var region = options.Region;
        if (string.IsNullOrWhiteSpace(region))
        {
            region = environment("AWS_REGION");
        }
        if (string.IsNullOrWhiteSpace(region))
        {
            region = environment("AWS_DEFAULT_REGION");
        }
        if (string.IsNullOrWhiteSpace(region))
        {
            throw new InvalidOperationException("No AWS region is configured: set AWS_REGION (or AWS_DEFAULT_REGION) or the region option.");
        }
        return region.Trim();
    }

    public static Uri ResolveEndpoint(AwsService service, string region, AwsClientOptions options, Func<string, string?> environment)
    {
        if (options.ServiceEndpointUrls is not null && options.ServiceEndpointUrls.TryGetValue(service.EndpointId, out var explicitService))
        {
            return Checked(explicitService, $"the {service.EndpointId} endpoint option");
        }
        if (options.EndpointUrl is not null)
        {
            return Checked(options.EndpointUrl, "the endpoint option");
        }
        if (!string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var variable in new[] { $"AWS_ENDPOINT_URL_{service.EndpointId}", "AWS_ENDPOINT_URL" })
            {
                var value = environment(variable);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return Parse(value.Trim(), variable);
                }
            }
        }
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }

    private static Uri Parse(string value, string source) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? Checked(uri, source)
            : throw new ArgumentException($"{source} is not an absolute URL: '{value}'.");

    private static Uri Checked(Uri uri, string source)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{source} must be an absolute http or https URL: '{uri}'.");
        }
        return uri;
    }
}
