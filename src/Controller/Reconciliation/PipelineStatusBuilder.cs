using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// Composes a spec's next status from its current one and a <see cref="PipelineOutcome"/>: what this reconcile found
/// is set with <c>with</c> (drift condition, resources, last apply); what it did not touch stays as it was.
/// </summary>
/// <param name="Document">The document as last read or written: its status is the previous one.</param>
/// <param name="Now">The transition time of every condition that flips.</param>
public sealed record PipelineStatusBuilder(PulumiPipeline Document, DateTimeOffset Now)
{
    /// <summary>The Drifted condition; by default the quiet one (no drift found by this reconcile).</summary>
    public Condition Drifted { get; init; } = QuietDrift(Document.Status);

    public IReadOnlyList<ResourceStatus> Resources { get; init; } = Document.Status?.Resources ?? [];

    public ApplyRecord? LastApply { get; init; } = Document.Status?.LastApply;

    /// <summary>The template (<c>name@generation</c>) this reconcile merged the spec with; recorded with the generation it observes.</summary>
    public string? ObservedTemplate { get; init; } = Document.Status?.ObservedTemplate;

    /// <summary>The engine whose state holds the resources; set once a reconcile has chosen (and handed over to) one.</summary>
    public string? Engine { get; init; } = Document.Status?.Engine;

    /// <summary>The status for <paramref name="outcome"/>, with <paramref name="message"/> on Ready (and on Reconciling or Stalled when true).</summary>
    public PipelineStatus Build(PipelineOutcome outcome, string message)
    {
        var generation = Document.Metadata.Generation;
        var previous = Document.Status ?? new PipelineStatus();
        Condition Make(string type, bool value, string text) => new()
        {
            Type = type,
            Status = value ? ConditionStatus.True : ConditionStatus.False,
            Reason = outcome.Reason,
            Message = text,
            ObservedGeneration = generation,
            LastTransitionTime = Now,
        };
        var conditions = previous.Conditions;
        conditions = Conditions.Set(conditions, Make(ConditionTypes.Ready, outcome.Ready, message));
        conditions = Conditions.Set(conditions, Make(ConditionTypes.Reconciling, outcome.Reconciling, outcome.Reconciling ? message : ""));
        conditions = Conditions.Set(conditions, Make(ConditionTypes.Stalled, outcome.Stalled, outcome.Stalled ? message : ""));
        conditions = Conditions.Set(conditions, Drifted with { LastTransitionTime = Now });
        return previous with
        {
            ObservedGeneration = outcome.ObservesGeneration ? generation : previous.ObservedGeneration,
            Phase = outcome.Phase,
            Conditions = conditions,
            Resources = Resources,
            LastApply = LastApply,
            ObservedTemplate = outcome.ObservesGeneration ? ObservedTemplate : previous.ObservedTemplate,
            Engine = Engine,
            // Only a StackLocked status says when it is retried; every other outcome clears it.
            NextRetryTime = null,
        };
    }

    /// <summary>Drift found by this reconcile (True: detected; False: corrected).</summary>
    public PipelineStatusBuilder WithDrift(string status, string reason, string message) => this with
    {
        Drifted = new Condition
        {
            Type = ConditionTypes.Drifted,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = Document.Metadata.Generation,
        },
    };

    // When this reconcile found no drift: a past correction stays on record, a past detection clears.
    private static Condition QuietDrift(PipelineStatus? previous)
    {
        var existing = previous is null ? null : Conditions.Find(previous.Conditions, ConditionTypes.Drifted);
        return existing is not null && existing.Status == ConditionStatus.False
            ? existing
            : new Condition { Type = ConditionTypes.Drifted, Status = ConditionStatus.False, Reason = StatusReasons.NoDrift, ObservedGeneration = existing?.ObservedGeneration ?? 0 };
    }
}
