namespace Reconciler.Controller.Sync;

/// <summary>Everything read from one revision's directory: the documents, or every problem found (then nothing may be written).</summary>
/// <param name="Errors">Each as <c>file:line: JSON path: message</c>.</param>
public sealed record RevisionDocuments(IReadOnlyList<SourceDocument> Documents, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The revision's PulumiPipelineTemplates (empty when it is invalid).</summary>
    public IReadOnlyList<SourceTemplate> Templates { get; init; } = [];
}
