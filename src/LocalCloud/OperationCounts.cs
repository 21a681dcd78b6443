namespace Reconciler.LocalCloud;

/// <summary>What LocalCloud answered for one operation since the last reset.</summary>
/// <param name="Requests">Every request that named the operation, whatever its outcome.</param>
/// <param name="Succeeded">Answered 200.</param>
/// <param name="Failed">Answered with an error of the service's own (validation, not found, signature...), not injected.</param>
/// <param name="Throttled">Answered with an injected throttling error.</param>
/// <param name="ServerErrors">Answered with an injected 5xx.</param>
public sealed record OperationCounts(long Requests, long Succeeded, long Failed, long Throttled, long ServerErrors)
{
    public static OperationCounts Zero { get; } = new(0, 0, 0, 0, 0);
}
