namespace Reconciler.Controller.Reconciliation;

/// <summary>An apply left errors behind; the runtime retries the reconcile with backoff.</summary>
public sealed class ConvergeFailedException : Exception
{
    public ConvergeFailedException(string message) : base(message) { }
    public ConvergeFailedException() { }
    public ConvergeFailedException(string message, Exception inner) : base(message, inner) { }
}
