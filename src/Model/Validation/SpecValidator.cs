using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation;

/// <summary>Placeholder until the validate branch lands on main (its file replaces this one).</summary>
public static class SpecValidator
{
    public static IReadOnlyList<ValidationError> Validate(string source, PulumiPipeline document) =>
        document.Metadata.Name.Length == 0 ? [new ValidationError(source, "$.metadata.name", "is required")] : [];
}
