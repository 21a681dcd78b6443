using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>Raw AWS JSON-protocol calls over HTTP, signed by <see cref="SigV4TestSigner"/>; every 200 answer is checked against the model's output shape.</summary>
internal sealed class AwsJsonTestClient(HttpClient http, Uri endpoint, TimeProvider time, string accessKeyId, string secretAccessKey, string region)
{
    public Uri Endpoint => endpoint;

    public Task<AwsAnswer> CodeBuild(string operation, string body) => CallAsync(ApiModels.CodeBuild, operation, body);

    public Task<AwsAnswer> CodePipeline(string operation, string body) => CallAsync(ApiModels.CodePipeline, operation, body);

    public Task<AwsAnswer> Ssm(string operation, string body) => CallAsync(ApiModels.Ssm, operation, body);

    /// <summary>Calls an operation; <paramref name="tweak"/> may change how it is signed or what is sent after signing.</summary>
    public async Task<AwsAnswer> CallAsync(ApiModel model, string operation, string body, RequestTweak? tweak = null)
    {
        var answer = await SendAsync(model, $"{model.ServiceShapeName}.{operation}", body, tweak);
        if (answer.Status == System.Net.HttpStatusCode.OK && model.OutputShape(operation) is { } output)
        {
            var violations = model.Validate(output, answer.Body);
            Assert.True(violations.Count == 0, $"{operation} answer breaks {output}: {string.Join("; ", violations)}");
        }
        return answer;
    }

    /// <summary>Sends a body to any target (none when empty), signed for the model's service.</summary>
    public async Task<AwsAnswer> SendAsync(ApiModel model, string target, string body, RequestTweak? tweak = null)
    {
        tweak ??= new RequestTweak();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        if (target.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(tweak.ContentType ?? model.ContentType);
        if (tweak.Sign)
        {
            var identity = new SigningIdentity(
                tweak.AccessKeyId ?? accessKeyId, tweak.SecretAccessKey ?? secretAccessKey,
                tweak.Region ?? region, tweak.Service ?? model.SigningName);
            SigV4TestSigner.Sign(request, bytes, identity, tweak.SignedAt ?? time.GetUtcNow());
        }
        if (tweak.BodyAfterSigning is { } replaced)
        {
            var contentType = request.Content.Headers.ContentType;
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(replaced));
            request.Content.Headers.ContentType = contentType;
        }
        tweak.AfterSigning?.Invoke(request);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        return new AwsAnswer(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>Ways to sign or alter a test request.</summary>
internal sealed record RequestTweak
{
    public bool Sign { get; init; } = true;
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? Region { get; init; }
    public string? Service { get; init; }
    public DateTimeOffset? SignedAt { get; init; }
    public string? ContentType { get; init; }
    public string? BodyAfterSigning { get; init; }
    public Action<HttpRequestMessage>? AfterSigning { get; init; }
}
