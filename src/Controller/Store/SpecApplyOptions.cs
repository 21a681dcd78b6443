using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>How <see cref="SpecApplier"/> writes a set.</summary>
public sealed record SpecApplyOptions
{
    /// <summary>Decide each outcome, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Asked before each write with the stored document (null: none) and the incoming one; a message refuses the write
    /// as a conflict (e.g. GitOps: the stored document belongs to another source). Null: every write may go.
    /// </summary>
    public Func<PulumiPipeline?, PulumiPipeline, string?>? Precondition { get; init; }
}
