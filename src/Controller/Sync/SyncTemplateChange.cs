using Reconciler.Model.Documents;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Sync;

/// <summary>One template's step in a sync plan, as <see cref="SyncChange"/> is a spec's.</summary>
/// <param name="Owner">For a conflict: who owns the stored template (a source id, or <c>none</c>).</param>
public sealed record SyncTemplateChange(
    SyncAction Action,
    string Name,
    string? File,
    PulumiPipelineTemplate? Current,
    PulumiPipelineTemplate? Desired,
    IReadOnlyList<FieldDelta> Deltas,
    string? Owner = null);
