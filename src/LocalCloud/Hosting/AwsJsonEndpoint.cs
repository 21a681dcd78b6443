using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reconciler.LocalCloud.Faults;
using Reconciler.LocalCloud.Services;
using Reconciler.LocalCloud.Signing;

namespace Reconciler.LocalCloud.Hosting;

/// <summary>The AWS JSON-protocol front door: <c>POST /</c> dispatched on <c>X-Amz-Target</c>, with content-type, signature, fault, and model checks before the service runs.</summary>
internal sealed partial class AwsJsonEndpoint(
    IReadOnlyList<AwsJsonService> services,
    SigV4Verifier verifier,
    FaultInjector faults,
    RequestCounters counters,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private const string UnknownOperationKey = "(unknown)";
    private const string FallbackContentType = "application/x-amz-json-1.1";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var operationKey = UnknownOperationKey;
        var contentType = FallbackContentType;
        var outcome = RequestOutcome.Failed;
        try
        {
            var (service, operation) = Resolve(request);
            operationKey = $"{service.Name}.{operation}";
            contentType = service.Model.ContentType;
            CheckContentType(request, service);
            var body = await ReadBodyAsync(request, cancellationToken);
            verifier.Verify(request, body, service.Model.SigningName);

            var fault = faults.Decide(service.Name, operation);
            if (fault.Latency > TimeSpan.Zero)
            {
                using var held = faults.Holds.Enter(operationKey);
                await Task.Delay(fault.Latency, time, cancellationToken);
            }
            switch (fault.Kind)
            {
                case FaultKind.Throttle:
                    outcome = RequestOutcome.Throttled;
                    throw CommonErrors.Throttling();
                case FaultKind.InternalFailure:
                    outcome = RequestOutcome.ServerError;
                    throw CommonErrors.InternalFailure();
                case FaultKind.ServiceUnavailable:
                    outcome = RequestOutcome.ServerError;
                    throw CommonErrors.ServiceUnavailable();
            }

            var input = Parse(body);
            if (!service.Serves(operation))
            {
                throw CommonErrors.UnknownOperation($"LocalCloud does not serve {operationKey}");
            }
            var violations = service.Model.ValidateInput(operation, input);
            if (violations.Count > 0)
            {
                throw service.ValidationError(violations);
            }
            var output = service.Invoke(operation, input);
            outcome = RequestOutcome.Succeeded;
            LogAnswered(requestId, operationKey, StatusCodes.Status200OK, "");
            await WriteAsync(context.Response, StatusCodes.Status200OK, contentType, output, cancellationToken);
        }
        catch (AwsServiceException e)
        {
            LogAnswered(requestId, operationKey, e.StatusCode, e.Code);
            await WriteErrorAsync(context.Response, e, contentType, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (or the server is stopping); there is no one to answer.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, requestId, operationKey);
            await WriteErrorAsync(context.Response, CommonErrors.InternalFailure(), contentType, cancellationToken);
        }
        finally
        {
            counters.Record(operationKey, outcome);
        }
    }

    private (AwsJsonService Service, string Operation) Resolve(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/")
        {
            throw CommonErrors.UnknownOperation($"LocalCloud serves AWS JSON-protocol operations at POST /, not {request.Method} {request.Path}");
        }
        var target = request.Headers["X-Amz-Target"].ToString();
        var dot = target.LastIndexOf('.');
        if (dot <= 0)
        {
            throw CommonErrors.UnknownOperation(target.Length == 0 ? "The request has no X-Amz-Target header" : $"Unknown operation {target}");
        }
        var prefix = target[..dot];
        var operation = target[(dot + 1)..];
        var service = services.FirstOrDefault(s => s.Model.ServiceShapeName == prefix);
        if (service is null || !service.ModelHas(operation))
        {
            throw CommonErrors.UnknownOperation($"Unknown operation {target}");
        }
        return (service, operation);
    }

    private static void CheckContentType(HttpRequest request, AwsJsonService service)
    {
        // AWS resolves the protocol from the content type; with any other, it cannot find the operation.
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType : null;
        if (mediaType != service.Model.ContentType && mediaType != "application/json")
        {
            throw CommonErrors.UnknownOperation(
                $"Unsupported content type '{request.ContentType}'; {service.Name} takes {service.Model.ContentType}");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new AwsServiceException(413, "RequestEntityTooLargeException", $"The request body exceeds {MaxBodyBytes} bytes", CommonErrors.ServiceNamespace);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static JsonObject Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(body) as JsonObject
                ?? throw CommonErrors.Serialization("The request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw CommonErrors.Serialization($"The request body is not valid JSON: {e.Message}");
        }
    }

    private static Task WriteErrorAsync(HttpResponse response, AwsServiceException error, string contentType, CancellationToken cancellationToken)
    {
        response.Headers["x-amzn-ErrorType"] = error.ErrorTypeHeader;
        var body = new JsonObject { ["__type"] = error.TypeName, ["message"] = error.Message };
        return WriteAsync(response, error.StatusCode, contentType, body, cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, int statusCode, string contentType, JsonObject body, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }
        var bytes = buffer.WrittenMemory;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LocalCloud {RequestId} {Operation} answered {StatusCode} {ErrorCode}")]
    private partial void LogAnswered(string requestId, string operation, int statusCode, string errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalCloud {RequestId} {Operation} failed unexpectedly")]
    private partial void LogFailed(Exception exception, string requestId, string operation);
}
