using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation;

/// <summary>The outcome of validating one document: every error found, and the typed document when there were none.</summary>
public sealed record ValidationResult(string Source, IReadOnlyList<ValidationError> Errors, PulumiPipeline? Document)
{
    public bool IsValid => Errors.Count == 0;
}
