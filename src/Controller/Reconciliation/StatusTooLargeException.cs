namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// The document with the status a reconcile composed would not fit the store's item limit (DynamoDB's 400 KB); the
/// status was not written, so nothing may be applied for it.
/// </summary>
public sealed class StatusTooLargeException : Exception
{
    public StatusTooLargeException(string message, Exception? inner = null) : base(message, inner) { }

    public StatusTooLargeException() : this("the status does not fit the store's item limit") { }

    public StatusTooLargeException(string message) : this(message, null) { }

    /// <summary>The stored document the status was composed for (after any status this reconcile already wrote).</summary>
    public Reconciler.Model.Documents.PulumiPipeline? Document { get; init; }
}
