using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Reconciler.Controller.Aws;

/// <summary>Sends AWS JSON 1.0/1.1 requests to one service: framing, SigV4, error mapping, resilience and telemetry.</summary>
/// <remarks>
/// Every call is <c>POST</c> to the endpoint with <c>X-Amz-Target: &lt;TargetPrefix&gt;.&lt;Operation&gt;</c>. The body is
/// serialized once and signed afresh for each attempt. Responses are read whatever their content type.
/// </remarks>
public sealed class AwsJsonClient : IDisposable
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly HttpClient _http;
    private readonly AwsTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly RateLimiter? _limiter;
    private readonly AWSCredentials? _explicitCredentials;
    private readonly Lock _credentialsLock = new();
    private Task<AWSCredentials>? _defaultCredentials;
    private readonly MediaTypeHeaderValue _contentType;

    /// <param name="http">Shared and owned by the caller; its own timeout should be infinite (the pipeline times attempts).</param>
    /// <param name="environment">Reads environment variables (region, endpoint overrides); defaults to the process environment.</param>
    public AwsJsonClient(
        AwsService service,
        AwsClientOptions options,
        HttpClient http,
        AwsTelemetry telemetry,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        loggerFactory ??= NullLoggerFactory.Instance;
        Service = service;
        Region = AwsEndpointResolver.ResolveRegion(options, environment);
        Endpoint = AwsEndpointResolver.ResolveEndpoint(service, Region, options, environment);
        _http = http;
        _telemetry = telemetry;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<AwsJsonClient>();
        (_pipeline, _limiter) = AwsResiliencePipeline.Create(service, options, telemetry, _timeProvider, loggerFactory);
        _explicitCredentials = options.Credentials;
        _contentType = new MediaTypeHeaderValue(service.ContentType);
        AwsClientLog.ClientCreated(_logger, service.Name, Region, Endpoint);
    }

    public AwsService Service { get; }

    public string Region { get; }

    public Uri Endpoint { get; }

    /// <summary>Calls one operation through the resilience pipeline, inside one span.</summary>
    /// <exception cref="AwsApiException">The service answered with an error (after retries, when retryable).</exception>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        using var activity = AwsTelemetry.StartCall(Service, operation, Region, Endpoint);
        var started = _timeProvider.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get($"{Service.Name}.{operation}", cancellationToken);
        context.Properties.Set(AwsResiliencePipeline.OperationKey, operation);
        try
        {
            var (response, requestId) = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Client.SendOnceAsync(state.Operation, state.Body, state.ResponseType, ctx.CancellationToken),
                context,
                (Client: this, Operation: operation, Body: body, ResponseType: responseType)).ConfigureAwait(false);
            var elapsed = _timeProvider.GetElapsedTime(started);
            activity?.SetTag("aws.request_id", requestId);
            _telemetry.RecordCall(Service, operation, AwsTelemetry.Outcome(null), elapsed);
            AwsClientLog.CallSucceeded(_logger, Service.Name, operation, elapsed.TotalMilliseconds, requestId);
            return response;
        }
        catch (Exception exception)
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            var outcome = AwsTelemetry.Outcome(exception);
            AwsTelemetry.RecordFailure(activity, exception);
            _telemetry.RecordCall(Service, operation, outcome, elapsed);
            var requestId = (exception as AwsApiException)?.RequestId;
            if (AwsTransientErrors.IsRetryable(exception) || exception is Polly.CircuitBreaker.BrokenCircuitException)
            {
                AwsClientLog.CallFailed(_logger, Service.Name, operation, elapsed.TotalMilliseconds, outcome, AwsTelemetry.ErrorType(exception), requestId);
            }
            else
            {
                AwsClientLog.CallRejected(_logger, Service.Name, operation, elapsed.TotalMilliseconds, outcome, AwsTelemetry.ErrorType(exception), requestId);
            }
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<(TResponse Response, string? RequestId)> SendOnceAsync<TResponse>(
        string operation, byte[] body, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var identity = _explicitCredentials ?? await DefaultCredentials().ConfigureAwait(false);
        var keys = await identity.GetCredentialsAsync().ConfigureAwait(false);

        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = _contentType;
        message.Headers.TryAddWithoutValidation("X-Amz-Target", $"{Service.TargetPrefix}.{operation}");
        SigV4Signer.Sign(message, body, keys, Region, Service.SigningName, _timeProvider.GetUtcNow());

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
        if (!response.IsSuccessStatusCode)
        {
            throw AwsErrorParser.ToException(Service, operation, (int)response.StatusCode, Header(response, "x-amzn-ErrorType"), requestId, payload);
        }
        try
        {
            var result = JsonSerializer.Deserialize(payload.Length == 0 ? EmptyObject : payload, responseType);
            return (result ?? JsonSerializer.Deserialize(EmptyObject, responseType)!, requestId);
        }
        catch (JsonException exception)
        {
            // The position and path are safe to report; the body is not echoed.
            throw new AwsServiceErrorException(Service.Name, operation, "MalformedResponse",
                $"the response is not the expected JSON ({exception.Path}, line {exception.LineNumber}, byte {exception.BytePositionInLine})", requestId, (int)response.StatusCode);
        }
    }

    // The default chain is resolved once; a failed resolution (no credentials yet) is tried again on the next call.
    private Task<AWSCredentials> DefaultCredentials()
    {
        lock (_credentialsLock)
        {
            if (_defaultCredentials is null || _defaultCredentials.IsFaulted || _defaultCredentials.IsCanceled)
            {
                _defaultCredentials = DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null!);
            }
            return _defaultCredentials;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    public void Dispose() => _limiter?.Dispose();
}
