using System.Text.Json;

namespace Reconciler.Controller.Aws;

/// <summary>Reads an AWS JSON-protocol error response and turns it into the matching <see cref="AwsApiException"/>.</summary>
/// <remarks>
/// The error code comes from the <c>x-amzn-ErrorType</c> header, else the body's <c>__type</c> (or <c>code</c>);
/// anything after a <c>:</c> and before a <c>#</c> is dropped, so <c>com.amazonaws.codebuild#ResourceNotFoundException</c>
/// and <c>ResourceNotFoundException:http://internal...</c> both read as <c>ResourceNotFoundException</c>.
/// </remarks>
public static class AwsErrorParser
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
        "BandwidthLimitExceeded", "PriorRequestNotComplete",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "ExpiredTokenException", "ExpiredToken",
        "InvalidClientTokenId", "SignatureDoesNotMatch", "NotAuthorized", "AuthFailure", "RequestExpired",
    };

    private static readonly HashSet<string> ConflictCodes = new(StringComparer.Ordinal)
    {
        "ConflictException", "ConcurrentModificationException", "TransactionConflictException", "ResourceInUseException",
    };

    private static readonly HashSet<string> ServiceErrorCodes = new(StringComparer.Ordinal)
    {
        "InternalFailure", "InternalError", "InternalServerError", "InternalServerException", "InternalServiceError",
        "ServiceUnavailable", "ServiceUnavailableException", "ServiceException",
    };

    private static readonly HashSet<string> ValidationCodes = new(StringComparer.Ordinal)
    {
        "ValidationException", "ValidationError", "SerializationException", "MissingParameter", "MalformedQueryString",
        "TooManyTagsException", "AccountLimitExceededException", "OAuthProviderException", "UnknownOperationException",
    };

    /// <summary>The code (namespace and suffix removed) and message of an error response.</summary>
    public static (string Code, string Message) Parse(int statusCode, string? errorTypeHeader, ReadOnlySpan<byte> body)
    {
        string? code = NormalizeCode(errorTypeHeader);
        string? message = null;
        if (!body.IsEmpty)
        {
            try
            {
                using var document = JsonDocument.Parse(body.ToArray());
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            continue;
                        }
                        switch (property.Name)
                        {
                            case "__type" or "code" or "Code":
                                code ??= NormalizeCode(property.Value.GetString());
                                break;
                            case "message" or "Message" or "errorMessage":
                                message ??= property.Value.GetString();
                                break;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // A proxy's HTML page or a truncated body: the status code still tells what happened.
            }
        }
        return (code ?? $"Http{statusCode}", message ?? $"HTTP status {statusCode}");
    }

    /// <summary>Drops a <c>namespace#</c> prefix and a <c>:suffix</c>; null for empty input.</summary>
    public static string? NormalizeCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var code = raw.Trim();
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }
        return code.Length == 0 ? null : code;
    }

    /// <summary>The exception for an error response: parsed, classified, carrying the request id.</summary>
    public static AwsApiException ToException(AwsService service, string operation, int statusCode, string? errorTypeHeader, string? requestId, ReadOnlySpan<byte> body)
    {
        var (code, message) = Parse(statusCode, errorTypeHeader, body);
        return Create(service, operation, code, message, requestId, statusCode);
    }

    /// <summary>Classifies by error code first, then by HTTP status.</summary>
    public static AwsApiException Create(AwsService service, string operation, string code, string message, string? requestId, int statusCode)
    {
        var name = service.Name;
        if (ThrottlingCodes.Contains(code) || (code == "LimitExceededException" && service == AwsService.DynamoDbStreams))
        {
            return new AwsThrottlingException(name, operation, code, message, requestId, statusCode);
        }
        if (code == "ExpiredIteratorException")
        {
            return new AwsExpiredIteratorException(name, operation, code, message, requestId, statusCode);
        }
        if (code == "TrimmedDataAccessException")
        {
            return new AwsTrimmedDataException(name, operation, code, message, requestId, statusCode);
        }
        if (code.EndsWith("NotFoundException", StringComparison.Ordinal) || code.EndsWith("NotFound", StringComparison.Ordinal))
        {
            return new AwsNotFoundException(name, operation, code, message, requestId, statusCode);
        }
        if (code.Contains("AlreadyExists", StringComparison.Ordinal) || code.EndsWith("NameInUseException", StringComparison.Ordinal))
        {
            return new AwsAlreadyExistsException(name, operation, code, message, requestId, statusCode);
        }
        if (AccessDeniedCodes.Contains(code))
        {
            return new AwsAccessDeniedException(name, operation, code, message, requestId, statusCode);
        }
        if (ConflictCodes.Contains(code))
        {
            return new AwsConflictException(name, operation, code, message, requestId, statusCode);
        }
        if (ServiceErrorCodes.Contains(code))
        {
            return new AwsServiceErrorException(name, operation, code, message, requestId, statusCode);
        }
        if (ValidationCodes.Contains(code) || code.StartsWith("Invalid", StringComparison.Ordinal) || code == "LimitExceededException")
        {
            return new AwsValidationException(name, operation, code, message, requestId, statusCode);
        }
        return statusCode switch
        {
            429 => new AwsThrottlingException(name, operation, code, message, requestId, statusCode),
            401 or 403 => new AwsAccessDeniedException(name, operation, code, message, requestId, statusCode),
            404 => new AwsNotFoundException(name, operation, code, message, requestId, statusCode),
            409 => new AwsConflictException(name, operation, code, message, requestId, statusCode),
            >= 500 => new AwsServiceErrorException(name, operation, code, message, requestId, statusCode),
            _ => new AwsApiException(name, operation, code, message, requestId, statusCode),
        };
    }
}
