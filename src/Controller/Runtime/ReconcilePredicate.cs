using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Decides whether an update is worth a reconcile: status-only and finalizer-only writes are not.</summary>
public static class ReconcilePredicate
{
    /// <summary>True when the generation changed, deletion began, or the reconcile-request annotation changed.</summary>
    public static bool ShouldEnqueue(ObjectMeta previous, ObjectMeta current) =>
        previous.Generation != current.Generation
        || (previous.DeletionTimestamp is null && current.DeletionTimestamp is not null)
        || !string.Equals(ReconcileRequest(previous), ReconcileRequest(current), StringComparison.Ordinal);

    /// <summary>The value of the reconcile-request annotation, if any.</summary>
    public static string? ReconcileRequest(ObjectMeta meta) =>
        meta.Annotations is { } annotations && annotations.TryGetValue(RuntimeAnnotations.ReconcileRequest, out var value) ? value : null;
}
