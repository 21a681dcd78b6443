using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Reconciler.Controller.Aws;

/// <summary>The spans and metrics of AWS calls: one span per call and the <c>aws.client.*</c> instruments.</summary>
/// <remarks>Spans and metrics carry names, codes and ids only, never a request or response body.</remarks>
public sealed class AwsTelemetry : IDisposable
{
    public const string ActivitySourceName = "Reconciler.Aws";
    public const string MeterName = "Reconciler.Aws";

    /// <summary>The meter Polly.Extensions reports resilience events on; enable it next to <see cref="MeterName"/>.</summary>
    public const string PollyMeterName = "Polly";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly bool _ownsMeter;
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider?> _breakers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _throttles = new(StringComparer.Ordinal);

    public AwsTelemetry(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Calls = Meter.CreateCounter<long>("aws.client.calls", "{call}", "AWS API calls, by service, operation and outcome.");
        Duration = Meter.CreateHistogram<double>(
            "aws.client.duration", "s", "Duration of AWS API calls, retries included.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        Retries = Meter.CreateCounter<long>("aws.client.retries", "{retry}", "Retried AWS API attempts, by service, operation and the error that caused them.");
        Meter.CreateObservableGauge("aws.client.circuit_open",
            () => _breakers.Where(b => b.Value is not null).Select(b => new Measurement<int>(b.Value!.CircuitState is CircuitState.Closed ? 0 : 1, new KeyValuePair<string, object?>("service", b.Key))),
            description: "1 while a service's circuit breaker is open (or half-open, or isolated): calls to it fail fast.");
    }

    /// <summary>Reports a service's breaker (its pipeline's state provider) on <c>aws.client.circuit_open</c> and <see cref="BreakerStates"/>.</summary>
    /// <remarks>A null provider records a service whose breaker is switched off (reported as <c>Disabled</c>, no gauge).</remarks>
    internal void RegisterBreaker(AwsService service, CircuitBreakerStateProvider? provider) => _breakers[service.Name] = provider;

    /// <summary>The circuit state of each service's breaker: <c>Closed</c>, <c>Open</c>, <c>HalfOpen</c>, <c>Isolated</c> or <c>Disabled</c>.</summary>
    public IReadOnlyDictionary<string, string> BreakerStates() =>
        _breakers.ToDictionary(b => b.Key, b => b.Value?.CircuitState.ToString() ?? "Disabled", StringComparer.Ordinal);

    /// <summary>Throttled answers per service since start, every attempt counted (retried ones too).</summary>
    public IReadOnlyDictionary<string, long> Throttles() => _throttles.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    public Meter Meter { get; }

    internal Counter<long> Calls { get; }

    internal Histogram<double> Duration { get; }

    internal Counter<long> Retries { get; }

    internal static Activity? StartCall(AwsService service, string operation, string region, Uri endpoint)
    {
        var activity = ActivitySource.StartActivity($"{service.Name}.{operation}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "aws-api");
            activity.SetTag("rpc.service", service.Name);
            activity.SetTag("rpc.method", operation);
            activity.SetTag("cloud.region", region);
            activity.SetTag("server.address", endpoint.Host);
            activity.SetTag("server.port", endpoint.Port);
        }
        return activity;
    }

    internal void RecordCall(AwsService service, string operation, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "service", service.Name }, { "operation", operation }, { "outcome", outcome } };
        Calls.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
        if (outcome == "throttled")
        {
            _throttles.AddOrUpdate(service.Name, 1, static (_, n) => n + 1);
        }
    }

    internal void RecordRetry(AwsService service, string operation, Exception? cause, int attempt)
    {
        var reason = cause is null ? "unknown" : ErrorType(cause);
        if (cause is AwsThrottlingException)
        {
            _throttles.AddOrUpdate(service.Name, 1, static (_, n) => n + 1);
        }
        Retries.Add(1, new TagList { { "service", service.Name }, { "operation", operation }, { "error.type", reason } });
        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["retry.attempt"] = attempt + 1,
            ["error.type"] = reason,
        }));
    }

    internal static void RecordFailure(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }
        var errorType = ErrorType(exception);
        activity.SetTag("error.type", errorType);
        if (exception is AwsApiException api)
        {
            activity.SetTag("aws.request_id", api.RequestId);
            activity.SetTag("http.response.status_code", api.StatusCode);
        }
        activity.SetStatus(ActivityStatusCode.Error, errorType);
    }

    /// <summary>A low-cardinality outcome for the <c>outcome</c> tag.</summary>
    public static string Outcome(Exception? exception) => exception switch
    {
        null => "success",
        AwsThrottlingException => "throttled",
        AwsNotFoundException => "not_found",
        AwsAlreadyExistsException => "already_exists",
        AwsValidationException => "validation",
        AwsAccessDeniedException => "access_denied",
        AwsConflictException => "conflict",
        AwsServiceErrorException => "service_error",
        AwsExpiredIteratorException => "expired_iterator",
        AwsTrimmedDataException => "trimmed_data",
        AwsApiException => "error",
        TimeoutRejectedException => "timeout",
        BrokenCircuitException => "circuit_open",
        RateLimiterRejectedException => "rate_limited",
        OperationCanceledException => "cancelled",
        HttpRequestException or IOException or SocketException => "transport",
        _ => "error",
    };

    /// <summary>The <c>error.type</c>: the AWS error code, else the exception type.</summary>
    public static string ErrorType(Exception exception) => exception switch
    {
        AwsApiException api => api.ErrorCode,
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
