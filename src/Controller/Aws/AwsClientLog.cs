using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Aws;

/// <summary>The structured log messages of the AWS client layer; they name calls and codes, never bodies.</summary>
internal static partial class AwsClientLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{Service}.{Operation} succeeded in {ElapsedMs} ms (request id {RequestId})")]
    public static partial void CallSucceeded(ILogger logger, string service, string operation, double elapsedMs, string? requestId);

    /// <summary>A failure that says the service or the path to it is unwell (after retries).</summary>
    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Service}.{Operation} failed after {ElapsedMs} ms: {Outcome} {ErrorType} (request id {RequestId})")]
    public static partial void CallFailed(ILogger logger, string service, string operation, double elapsedMs, string outcome, string errorType, string? requestId);

    /// <summary>An answer the caller handles as part of its work (not found, already exists, validation...).</summary>
    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "{Service}.{Operation} answered {Outcome} {ErrorType} after {ElapsedMs} ms (request id {RequestId})")]
    public static partial void CallRejected(ILogger logger, string service, string operation, double elapsedMs, string outcome, string errorType, string? requestId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "AWS {Service} client: region {Region}, endpoint {Endpoint}")]
    public static partial void ClientCreated(ILogger logger, string service, string region, Uri endpoint);
}
