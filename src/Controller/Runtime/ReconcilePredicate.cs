using Reconciler.Model.Documents;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Runtime;

/// <summary>
/// Decides whether an update is worth a reconcile: status-only, finalizer-only and label-only writes are not.
/// Generation moves only with the spec (as in Kubernetes), so annotations that matter are compared here.
/// </summary>
public static class ReconcilePredicate
{
    private static readonly string[] Watched = [RuntimeAnnotations.ReconcileRequest, .. SpecAnnotations.ThatMatter];

    /// <summary>True when the generation changed, deletion began, or the reconcile-request or another annotation that matters changed.</summary>
    public static bool ShouldEnqueue(ObjectMeta previous, ObjectMeta current) =>
        previous.Generation != current.Generation
        || (previous.DeletionTimestamp is null && current.DeletionTimestamp is not null)
        || !string.Equals(Annotations(previous), Annotations(current), StringComparison.Ordinal);

    /// <summary>The value of the reconcile-request annotation, if any.</summary>
    public static string? ReconcileRequest(ObjectMeta meta) => Annotation(meta, RuntimeAnnotations.ReconcileRequest);

    /// <summary>The values of the annotations that matter, as one comparable string (a parked failure is retried when it changes).</summary>
    public static string Annotations(ObjectMeta meta) =>
        string.Join('\u001f', Watched.Select(name => Annotation(meta, name) is { } value ? $"{name}={value}" : ""));

    private static string? Annotation(ObjectMeta meta, string name) =>
        meta.Annotations is { } annotations && annotations.TryGetValue(name, out var value) ? value : null;
}
