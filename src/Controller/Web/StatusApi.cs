using System.Diagnostics;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Web;

/// <summary>The read-only answers behind the status page, from the informer's cache and the runtime, never from the store.</summary>
public sealed class StatusApi(Informer<PulumiPipeline> cache, ConditionHistory history, Func<ControllerState> controllerState, string? traceUrlTemplate = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The placeholder of <c>--trace-url-template</c> that the trace id replaces.</summary>
    public const string TraceIdPlaceholder = "{traceId}";

    /// <summary>One page of the specs matching the filters, ordered by name.</summary>
    /// <exception cref="FormatException">The label selector does not parse.</exception>
    public SpecPage List(string? phase, string? labelSelector, bool driftedOnly, string? search, int offset, int limit)
    {
        var selector = LabelSelector.Parse(labelSelector);
        limit = Math.Clamp(limit <= 0 ? DefaultLimit : limit, 1, MaxLimit);
        offset = Math.Max(0, offset);
        var phases = new Dictionary<string, int>(StringComparer.Ordinal);
        var drifted = 0;
        var matched = new List<SpecSummary>();
        var total = 0;
        foreach (var spec in Specs())
        {
            total++;
            var summary = Summarize(spec);
            phases[summary.Phase] = phases.GetValueOrDefault(summary.Phase) + 1;
            drifted += summary.Drifted ? 1 : 0;
            if ((string.IsNullOrEmpty(phase) || string.Equals(summary.Phase, phase, StringComparison.OrdinalIgnoreCase))
                && (!driftedOnly || summary.Drifted)
                && (string.IsNullOrEmpty(search) || summary.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
                && selector.Matches(spec.Metadata.Labels))
            {
                matched.Add(summary);
            }
        }
        matched.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var items = matched.Skip(offset).Take(limit).ToList();
        return new SpecPage(total, matched.Count, offset, limit, items, phases, drifted);
    }

    /// <summary>The counts per phase and of drifted specs, for the gauges.</summary>
    public (IReadOnlyDictionary<string, int> Phases, int Drifted) Counts()
    {
        var phases = new Dictionary<string, int>(StringComparer.Ordinal);
        var drifted = 0;
        foreach (var spec in Specs())
        {
            var summary = Summarize(spec);
            phases[summary.Phase] = phases.GetValueOrDefault(summary.Phase) + 1;
            drifted += summary.Drifted ? 1 : 0;
        }
        return (phases, drifted);
    }

    /// <summary>One spec in full, or null when the cache does not hold it.</summary>
    public SpecDetail? Get(string name)
    {
        if (!cache.TryGet(name, out var spec))
        {
            return null;
        }
        var status = spec.Status ?? new PipelineStatus();
        var changes = history.For(name);
        var traceId = TraceIdOf(spec);
        return new SpecDetail(
            Summarize(spec),
            spec.Metadata.Annotations ?? new Dictionary<string, string>(),
            status.Conditions,
            status.Resources,
            changes,
            [.. changes.Where(IsError).Reverse().Take(10)],
            traceId,
            traceId is not null && !string.IsNullOrWhiteSpace(traceUrlTemplate) ? traceUrlTemplate.Replace(TraceIdPlaceholder, traceId, StringComparison.Ordinal) : null,
            spec.Spec.DriftPolicy,
            spec.Spec.DeletionPolicy,
            [.. spec.Spec.Stages.Select(s => $"{s.Name}: {s.Operation} {s.Stack}")]);
    }

    public ControllerState State() => controllerState();

    /// <summary>The summary a list row shows.</summary>
    public static SpecSummary Summarize(PulumiPipeline spec)
    {
        var status = spec.Status;
        var conditions = status?.Conditions ?? [];
        var ready = Conditions.Find(conditions, ConditionTypes.Ready);
        var stalled = Conditions.Find(conditions, ConditionTypes.Stalled);
        var headline = stalled is { Status: ConditionStatus.True } ? stalled : ready;
        return new SpecSummary(
            spec.Metadata.Name,
            spec.Metadata.Labels ?? new Dictionary<string, string>(),
            spec.Metadata.Generation,
            status?.ObservedGeneration ?? 0,
            status?.Phase ?? "Pending",
            ready is { Status: ConditionStatus.True },
            Conditions.IsTrue(conditions, ConditionTypes.Drifted),
            spec.Metadata.DeletionTimestamp is not null,
            headline?.Reason,
            headline?.Message,
            status?.Resources.Count ?? 0,
            status?.LastApply,
            status?.NextResyncTime,
            status?.NextRetryTime);
    }

    private IEnumerable<PulumiPipeline> Specs()
    {
        foreach (var name in cache.Keys())
        {
            if (cache.TryGet(name, out var spec))
            {
                yield return spec;
            }
        }
    }

    private static bool IsError(ConditionChange change) =>
        (change.Type == ConditionTypes.Ready && change.Status == ConditionStatus.False && change.Reason is not (StatusReasons.Applying or StatusReasons.Deleting))
        || (change.Type == ConditionTypes.Stalled && change.Status == ConditionStatus.True);

    private static string? TraceIdOf(PulumiPipeline spec) =>
        spec.Metadata.Annotations?.GetValueOrDefault(RuntimeAnnotations.TraceParent) is { } traceParent
        && ActivityContext.TryParse(traceParent, null, out var context)
            ? context.TraceId.ToHexString()
            : null;
}
