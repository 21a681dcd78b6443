using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.LocalCloud.Signing;

namespace Reconciler.PulumiStandIn.Aws;

/// <summary>An AWS error answer: the service's error code and message.</summary>
internal sealed class AwsCallException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}

/// <summary>
/// The AWS JSON protocol over HTTP, signed with SigV4, to the endpoint in <c>AWS_ENDPOINT_URL</c>: what the AWS provider
/// plugin does on the stand-in's behalf. Credentials come from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>.
/// </summary>
internal sealed class AwsWireClient(HttpClient http, Uri endpoint, string region, string accessKey, string secretKey) : IDisposable
{
    public static AwsWireClient FromEnvironment(Func<string, string?> environment, string region)
    {
        var endpoint = environment("AWS_ENDPOINT_URL")
            ?? throw new StandInException("the stand-in applies resources only to AWS_ENDPOINT_URL (LocalCloud); it is not set");
        return new AwsWireClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, new Uri(endpoint), region,
            environment("AWS_ACCESS_KEY_ID") ?? "", environment("AWS_SECRET_ACCESS_KEY") ?? "");
    }

    public Task<JsonObject> CodeBuildAsync(string operation, JsonObject body, CancellationToken cancellationToken) =>
        CallAsync("codebuild", "CodeBuild_20161006", "application/x-amz-json-1.1", operation, body, cancellationToken);

    public Task<JsonObject> CodePipelineAsync(string operation, JsonObject body, CancellationToken cancellationToken) =>
        CallAsync("codepipeline", "CodePipeline_20150709", "application/x-amz-json-1.1", operation, body, cancellationToken);

    private async Task<JsonObject> CallAsync(string service, string target, string contentType, string operation, JsonObject body, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var amzDate = SigV4.FormatAmzDate(DateTimeOffset.UtcNow);
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{target}.{operation}");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var signed = new List<(string Name, string Value)>
        {
            ("content-type", contentType), ("host", host), ("x-amz-date", amzDate), ("x-amz-target", $"{target}.{operation}"),
        };
        var signature = SigV4.ComputeSignature(secretKey, amzDate, region, service, "POST",
            string.IsNullOrEmpty(endpoint.AbsolutePath) ? "/" : endpoint.AbsolutePath, "", signed, SigV4.HashHex(payload));
        var scope = SigV4.Scope(amzDate[..8], region, service);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{SigV4.Algorithm} Credential={accessKey}/{scope}, SignedHeaders={string.Join(';', signed.Select(h => h.Name))}, Signature={signature}");

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject();
        if (!response.IsSuccessStatusCode)
        {
            var type = (string?)json["__type"] ?? response.StatusCode.ToString();
            throw new AwsCallException(type[(type.LastIndexOf('#') + 1)..], (string?)json["message"] ?? (string?)json["Message"] ?? "");
        }
        return json;
    }

    public void Dispose() => http.Dispose();
}
