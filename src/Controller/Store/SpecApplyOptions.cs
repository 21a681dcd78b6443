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

    /// <summary>As <see cref="Precondition"/>, for the set's templates.</summary>
    public Func<PulumiPipelineTemplate?, PulumiPipelineTemplate, string?>? TemplatePrecondition { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the writer's span, put on every document written (annotation
    /// <c>reconciler.io/traceparent</c>) so the reconcile it causes links to that trace; null: the document's own annotation, if any. A document that
    /// differs from the stored one only by this annotation is unchanged, and is not written.
    /// </summary>
    public string? TraceParent { get; init; }
}
