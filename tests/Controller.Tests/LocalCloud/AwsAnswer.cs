using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>One raw answer of LocalCloud: status, JSON body, headers.</summary>
internal sealed record AwsAnswer(HttpStatusCode Status, JsonObject Body, HttpResponseHeaders Headers, string? ContentType)
{
    /// <summary>The body's <c>__type</c>, exactly as sent.</summary>
    public string? ErrorType => (string?)Body["__type"];

    public string Message => (string?)Body["message"] ?? "";

    public string? RequestId => Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.Single() : null;

    public AwsAnswer EnsureOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body.ToJsonString()}");
        return this;
    }
}
