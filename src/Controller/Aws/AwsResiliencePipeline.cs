using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Reconciler.Controller.Aws;

/// <summary>Builds the Polly pipeline of one service: call timeout, retry, circuit breaker, token bucket, attempt timeout (outermost first).</summary>
/// <remarks>
/// The breaker sits inside the retry so every attempt counts toward it and an open circuit fails the
/// remaining attempts fast; the token bucket sits inside the breaker so an open circuit spends no token,
/// and outside the attempt timeout so waiting for a token is not mistaken for a slow service.
/// </remarks>
public static class AwsResiliencePipeline
{
    /// <summary>The resilience context property that carries the operation name to the retry callback.</summary>
    public static readonly ResiliencePropertyKey<string> OperationKey = new("aws.operation");

    /// <summary>The pipeline and the rate limiter it owns (null when rate limiting is off); dispose the limiter with the client.</summary>
    public static (ResiliencePipeline Pipeline, RateLimiter? Limiter) Create(
        AwsService service, AwsClientOptions options, AwsTelemetry telemetry, TimeProvider timeProvider, ILoggerFactory loggerFactory, string? instanceName = null)
    {
        var builder = new ResiliencePipelineBuilder
        {
            Name = $"aws-{service.EndpointId.ToLowerInvariant()}",
            InstanceName = instanceName,
            TimeProvider = timeProvider,
        };

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "call-timeout", Timeout = options.CallTimeout });

        if (options.Retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.Retry.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Retry.BaseDelay,
                MaxDelay = options.Retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && AwsTransientErrors.IsRetryable(e)),
                OnRetry = args =>
                {
                    var operation = args.Context.Properties.GetValue(OperationKey, "unknown");
                    telemetry.RecordRetry(service, operation, args.Outcome.Exception, args.AttemptNumber);
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (options.CircuitBreaker.Enabled)
        {
            var breakerState = new CircuitBreakerStateProvider();
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "circuit-breaker",
                FailureRatio = options.CircuitBreaker.FailureRatio,
                MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
                SamplingDuration = options.CircuitBreaker.SamplingDuration,
                BreakDuration = options.CircuitBreaker.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && AwsTransientErrors.IsServiceFailure(e)),
                StateProvider = breakerState,
            });
            telemetry.RegisterBreaker(service, breakerState);
        }
        else
        {
            telemetry.RegisterBreaker(service, null);
        }

        RateLimiter? limiter = null;
        var rate = options.RateLimitFor(service);
        if (rate.PermitsPerSecond > 0)
        {
            limiter = TokenBucket(rate);
            builder.AddRateLimiter(limiter);
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
        // Polly's own log lines and events would print the result object (a whole response: buildspecs, webhook
        // payload URLs); they print this summary instead, and the client logs operation, status, duration and request id.
        builder.ConfigureTelemetry(new TelemetryOptions
        {
            LoggerFactory = loggerFactory,
            ResultFormatter = static (_, result) => AwsCallSummary.Of(result),
            // Every attempt is a Debug line (the client logs each call's outcome once); retries and breaker moves keep Polly's levels.
            SeverityProvider = static args => args.Event.EventName == "ExecutionAttempt" ? ResilienceEventSeverity.Debug : args.Event.Severity,
        });
        return (builder.Build(), limiter);
    }

    // A bucket refilled every 100 ms (or once per permit below 10/s), so the rate holds without bursts beyond Burst.
    private static TokenBucketRateLimiter TokenBucket(AwsRateLimitSettings rate)
    {
        var (period, tokens) = rate.PermitsPerSecond >= 10
            ? (TimeSpan.FromMilliseconds(100), (int)Math.Round(rate.PermitsPerSecond / 10))
            : (TimeSpan.FromSeconds(1 / rate.PermitsPerSecond), 1);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, rate.Burst),
            TokensPerPeriod = Math.Max(1, tokens),
            ReplenishmentPeriod = period,
            QueueLimit = Math.Max(0, rate.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
