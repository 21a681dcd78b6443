using Amazon.Runtime;

namespace Reconciler.Controller.Aws;

/// <summary>How the AWS clients find their endpoints and credentials, and how hard they retry; immutable.</summary>
public sealed record AwsClientOptions
{
    /// <summary>The region; null takes <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>.</summary>
    public string? Region { get; init; }

    /// <summary>An explicit endpoint for every service (the CLI's <c>--aws-endpoint-url</c>); wins over the environment.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Explicit endpoints per service, keyed by <see cref="AwsService.EndpointId"/> (CODEBUILD, CODEPIPELINE, DYNAMODB_STREAMS, SSM); win over <see cref="EndpointUrl"/>.</summary>
    public IReadOnlyDictionary<string, Uri>? ServiceEndpointUrls { get; init; }

    /// <summary>Credentials to sign with; null uses the SDK's default chain (environment, profiles, web identity, ECS task role, instance metadata).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>The longest one HTTP attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one call may take, retries and rate-limit waits included.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public AwsRetrySettings Retry { get; init; } = new();

    public AwsCircuitBreakerSettings CircuitBreaker { get; init; } = new();

    /// <summary>The client-side token bucket applied to each service unless <see cref="ServiceRateLimits"/> names it.</summary>
    public AwsRateLimitSettings RateLimit { get; init; } = new();

    /// <summary>Token buckets per service, keyed by <see cref="AwsService.EndpointId"/>.</summary>
    public IReadOnlyDictionary<string, AwsRateLimitSettings>? ServiceRateLimits { get; init; }

    public AwsRateLimitSettings RateLimitFor(AwsService service) =>
        ServiceRateLimits is not null && ServiceRateLimits.TryGetValue(service.EndpointId, out var limit) ? limit : RateLimit;
}

/// <summary>Exponential backoff with jitter for throttling, 5xx, attempt timeouts and transport errors.</summary>
public sealed record AwsRetrySettings
{
    /// <summary>Retries after the first attempt; 0 disables retrying.</summary>
    public int MaxRetryAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>When a service is considered down (5xx, timeouts, transport errors; throttling does not count) and for how long.</summary>
public sealed record AwsCircuitBreakerSettings
{
    public bool Enabled { get; init; } = true;

    public double FailureRatio { get; init; } = 0.5;

    public int MinimumThroughput { get; init; } = 10;

    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>A client-side token bucket: sustained rate, burst and how many calls may wait for a token.</summary>
public sealed record AwsRateLimitSettings
{
    /// <summary>Sustained requests per second; 0 or less disables the limiter.</summary>
    public double PermitsPerSecond { get; init; } = 20;

    public int Burst { get; init; } = 40;

    /// <summary>Calls that may wait for a token; beyond it a call is rejected (and retried).</summary>
    public int QueueLimit { get; init; } = 1000;
}
