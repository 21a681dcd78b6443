namespace Reconciler.LocalCloud;

/// <summary>An error LocalCloud answers the way the AWS service would: HTTP status, error code, message and <c>__type</c> namespace.</summary>
/// <remarks>Messages name resources and constraints, never request secrets.</remarks>
public sealed class AwsServiceException(int statusCode, string code, string message, string? typeNamespace = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The bare error code, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The namespace that prefixes <c>__type</c> (<c>namespace#Code</c>), or null for a bare code.</summary>
    public string? TypeNamespace { get; } = typeNamespace;

    /// <summary>What goes into the body's <c>__type</c>.</summary>
    public string TypeName => TypeNamespace is null ? Code : $"{TypeNamespace}#{Code}";

    /// <summary>What goes into the <c>x-amzn-ErrorType</c> header: the code, with the Coral namespace URI when there is one.</summary>
    public string ErrorTypeHeader => TypeNamespace is null ? Code : $"{Code}:http://internal.amazon.com/coral/{TypeNamespace}/";
}
