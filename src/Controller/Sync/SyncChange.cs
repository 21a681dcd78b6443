using Reconciler.Model.Documents;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Sync;

/// <summary>One document's step in a sync plan: the stored copy it was planned against, what will be written, and the changed fields.</summary>
/// <param name="Owner">For a conflict: who owns the stored document (a source id, or <c>none</c> for one created by hand).</param>
public sealed record SyncChange(
    SyncAction Action,
    string Name,
    string? File,
    PulumiPipeline? Current,
    PulumiPipeline? Desired,
    IReadOnlyList<FieldDelta> Deltas,
    string? Owner = null);
