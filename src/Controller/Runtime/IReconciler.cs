using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Brings one object's world to its declared state (KubeOps shape, controller-runtime semantics).</summary>
/// <remarks>
/// Both methods receive a cached copy and must be idempotent. Throwing retries with per-key backoff;
/// throwing <see cref="TerminalReconcileException"/> stops retries until the object changes.
/// </remarks>
public interface IReconciler<in T> where T : IObject
{
    Task<ReconcileResult> ReconcileAsync(T entity, CancellationToken cancellationToken);

    /// <summary>Runs while the object is being deleted; the runtime removes its finalizer after this succeeds.</summary>
    Task<ReconcileResult> FinalizeAsync(T entity, CancellationToken cancellationToken);
}

/// <summary>The outcome of a reconcile: done, or come back after a delay.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter = null)
{
    public static ReconcileResult Done { get; } = new();

    public static ReconcileResult Requeue(TimeSpan after) => new(after);
}

/// <summary>An error that retrying cannot fix (an invalid spec, a resource we may not touch); no retry until the object changes.</summary>
public sealed class TerminalReconcileException : Exception
{
    public TerminalReconcileException(string reason, string message, Exception? inner = null) : base(message, inner) => Reason = reason;

    public TerminalReconcileException() : this("Terminal", "terminal reconcile error") { }

    public TerminalReconcileException(string message) : this("Terminal", message) { }

    public TerminalReconcileException(string message, Exception inner) : this("Terminal", message, inner) { }

    /// <summary>A CamelCase reason, as conditions carry it.</summary>
    public string Reason { get; }
}
