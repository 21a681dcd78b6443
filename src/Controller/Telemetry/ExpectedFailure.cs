using Amazon.Runtime;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Telemetry;

/// <summary>
/// Failures that are part of normal operation (an AWS error answer such as ResourceNotFound, a store conflict, a
/// converge that failed for AWS reasons): logged as one line with their message. A stack trace is kept for what
/// looks like a bug, where it is the useful part.
/// </summary>
public static class ExpectedFailure
{
    public static bool Is(Exception exception) =>
        exception is AwsApiException or StoreException or AmazonServiceException or ConvergeFailedException or HttpRequestException;

    /// <summary>The exception's type and message on one line.</summary>
    public static string OneLine(Exception exception) =>
        $"{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}";
}
