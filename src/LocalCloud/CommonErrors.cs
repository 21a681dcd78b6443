namespace Reconciler.LocalCloud;

/// <summary>The errors every AWS JSON-protocol service answers from its front end, with Coral's namespaces and the documented HTTP statuses.</summary>
public static class CommonErrors
{
    public const string ServiceNamespace = "com.amazon.coral.service";
    public const string ValidateNamespace = "com.amazon.coral.validate";
    public const string AvailabilityNamespace = "com.amazon.coral.availability";

    public static AwsServiceException UnknownOperation(string message) =>
        new(404, "UnknownOperationException", message, ServiceNamespace);

    public static AwsServiceException Serialization(string message) =>
        new(400, "SerializationException", message, ServiceNamespace);

    public static AwsServiceException Throttling() =>
        new(400, "ThrottlingException", "Rate exceeded", AvailabilityNamespace);

    public static AwsServiceException InternalFailure() =>
        new(500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", ServiceNamespace);

    public static AwsServiceException ServiceUnavailable() =>
        new(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", ServiceNamespace);

    public static AwsServiceException MissingAuthenticationToken() =>
        new(403, "MissingAuthenticationTokenException", "Missing Authentication Token", ServiceNamespace);

    public static AwsServiceException IncompleteSignature(string message) =>
        new(403, "IncompleteSignatureException", message, ServiceNamespace);

    public static AwsServiceException InvalidSignature(string message) =>
        new(403, "InvalidSignatureException", message, ServiceNamespace);

    public static AwsServiceException UnrecognizedClient() =>
        new(403, "UnrecognizedClientException", "The security token included in the request is invalid.", ServiceNamespace);

    /// <summary>A request that breaks the API model's constraints, worded like Coral's validator.</summary>
    public static AwsServiceException Validation(IReadOnlyList<string> violations, string? typeNamespace = ValidateNamespace) =>
        new(400, "ValidationException",
            $"{violations.Count} validation error{(violations.Count == 1 ? "" : "s")} detected: {string.Join("; ", violations)}",
            typeNamespace);
}
