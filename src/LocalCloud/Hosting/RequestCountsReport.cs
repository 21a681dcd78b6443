namespace Reconciler.LocalCloud.Hosting;

/// <summary>The body of <c>GET /_localcloud/requests</c>.</summary>
public sealed record RequestCountsReport(long TotalRequests, IReadOnlyDictionary<string, OperationCounts> Operations);
