using System.Globalization;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// One spec's status as people read it (<c>get</c>, <c>describe</c>, <c>demo</c>, the status page): phase, readiness,
/// conditions, resources and the last apply, each derived here once from the stored document.
/// </summary>
public sealed record SpecStatusView(
    string Name,
    long Generation,
    long? ObservedGeneration,
    string Phase,
    string Ready,
    Condition? ReadyCondition,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<ResourceStatus> Resources,
    ApplyRecord? LastApply)
{
    /// <summary>The phase of a spec the controller has not written status for yet.</summary>
    public const string Pending = "Pending";

    /// <summary>The phase shown once deletion began, whatever status still says.</summary>
    public const string Deleting = "Deleting";

    public static SpecStatusView Of(PulumiPipeline document)
    {
        var status = document.Status;
        var ready = status is null ? null : Model.Documents.Conditions.Find(status.Conditions, ConditionTypes.Ready);
        return new SpecStatusView(
            document.Metadata.Name,
            document.Metadata.Generation,
            status?.ObservedGeneration,
            document.Metadata.DeletionTimestamp is not null ? Deleting : status?.Phase ?? Pending,
            ready?.Status ?? ConditionStatus.Unknown,
            ready,
            status?.Conditions ?? [],
            status?.Resources ?? [],
            status?.LastApply);
    }

    public bool IsReady => Ready == ConditionStatus.True;

    /// <summary>Ready for the generation the document is at now (not for an older spec).</summary>
    public bool IsConverged => IsReady && ObservedGeneration == Generation;

    /// <summary>The phase with the Ready condition's reason and message: one line of progress.</summary>
    public string Progress => Phase == Pending
        ? Pending
        : $"{Phase,-12} {ReadyCondition?.Reason}: {ReadyCondition?.Message}";

    /// <summary>The last apply in one sentence, or null when there was none.</summary>
    public string? LastApplySummary => LastApply is { } apply
        ? string.Create(CultureInfo.InvariantCulture,
            $"{apply.Engine} {apply.Result}: {apply.Creates} created, {apply.Updates} updated, {apply.Deletes} deleted in {apply.DurationSeconds:0.###}s")
        : null;
}
