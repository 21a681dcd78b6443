namespace Reconciler.Controller.Aws;

/// <summary>An error answered by an AWS API, with its error code and request id; the message never carries request data.</summary>
public class AwsApiException : Exception
{
    public AwsApiException(string service, string operation, string errorCode, string message, string? requestId, int statusCode, Exception? inner = null)
        : base($"{service}.{operation} failed: {errorCode}: {message}" + (requestId is null ? "" : $" (request id {requestId})"), inner)
    {
        Service = service;
        Operation = operation;
        ErrorCode = errorCode;
        RequestId = requestId;
        StatusCode = statusCode;
    }

    public string Service { get; }
    public string Operation { get; }
    /// <summary>The error type without its namespace prefix, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string ErrorCode { get; }
    public string? RequestId { get; }
    public int StatusCode { get; }
}

/// <summary>Throttled (ThrottlingException, TooManyRequests, RequestLimitExceeded...): retried with backoff.</summary>
public sealed class AwsThrottlingException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>The resource does not exist (ResourceNotFoundException, PipelineNotFoundException...).</summary>
public sealed class AwsNotFoundException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>The resource exists already (ResourceAlreadyExistsException, PipelineNameInUseException...).</summary>
public sealed class AwsAlreadyExistsException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>The request was malformed (ValidationException, InvalidInputException, InvalidStructureException...): never retried.</summary>
public sealed class AwsValidationException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>The caller may not do this (AccessDeniedException, UnrecognizedClientException...).</summary>
public sealed class AwsAccessDeniedException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>A concurrent change got there first (ConflictException, ConcurrentModificationException...).</summary>
public sealed class AwsConflictException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>The service failed (5xx, InternalFailure, ServiceUnavailable): retried with backoff.</summary>
public sealed class AwsServiceErrorException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>A DynamoDB Streams shard iterator expired; get a new one.</summary>
public sealed class AwsExpiredIteratorException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);

/// <summary>DynamoDB Streams data past the trim horizon was asked for; the reader must relist.</summary>
public sealed class AwsTrimmedDataException(string service, string operation, string errorCode, string message, string? requestId, int statusCode)
    : AwsApiException(service, operation, errorCode, message, requestId, statusCode);
