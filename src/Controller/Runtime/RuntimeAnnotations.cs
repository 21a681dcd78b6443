namespace Reconciler.Controller.Runtime;

/// <summary>The annotations and finalizer name the runtime reads and writes on every object.</summary>
public static class RuntimeAnnotations
{
    /// <summary>Changing this annotation's value asks for a reconcile even when the spec did not change.</summary>
    public const string ReconcileRequest = "reconciler.io/reconcile-request";

    /// <summary>A W3C <c>traceparent</c> of whoever last changed the object; the reconcile span links to it.</summary>
    public const string TraceParent = "reconciler.io/traceparent";

    /// <summary>The finalizer the runtime attaches before the first reconcile and removes after a successful finalize.</summary>
    public const string Finalizer = "reconciler.io/finalizer";
}
