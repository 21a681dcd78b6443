using System.Net.Sockets;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Reconciler.Controller.Aws;

/// <summary>Which failures are worth another attempt, and which count against a service's circuit.</summary>
public static class AwsTransientErrors
{
    /// <summary>Throttling, 5xx, attempt timeouts, transport errors and client-side rate-limit rejections; never validation, not-found, conflict, already-exists or access-denied.</summary>
    public static bool IsRetryable(Exception exception) => exception switch
    {
        AwsThrottlingException or AwsServiceErrorException => true,
        AwsApiException => false,
        TimeoutRejectedException or RateLimiterRejectedException => true,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    /// <summary>Signs that the service is down: 5xx, attempt timeouts and transport errors. Throttling is not: backoff handles it.</summary>
    public static bool IsServiceFailure(Exception exception) => exception switch
    {
        AwsServiceErrorException => true,
        AwsApiException => false,
        TimeoutRejectedException => true,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };
}
