using System.Runtime.CompilerServices;

namespace Reconciler.Controller.Aws;

/// <summary>What Polly's telemetry may say about one attempt's result: its status and request id, never the response itself.</summary>
internal static class AwsCallSummary
{
    /// <summary>
    /// <c>ok (request id …)</c> for an answer (the client's attempts return <c>(response, requestId)</c>),
    /// the error code and request id for an AWS error, the exception type otherwise.
    /// </summary>
    public static string Of(object? result) => result switch
    {
        null => "none",
        AwsApiException api => $"{api.StatusCode} {api.ErrorCode} (request id {api.RequestId ?? "none"})",
        Exception exception => exception.GetType().Name,
        ITuple { Length: 2 } tuple => $"ok (request id {tuple[1] as string ?? "none"})",
        _ => "ok",
    };
}
