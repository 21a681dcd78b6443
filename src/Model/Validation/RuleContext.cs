namespace Reconciler.Model.Validation;

/// <summary>Collects the errors the semantic rules find in one document.</summary>
internal sealed class RuleContext(string source)
{
    public List<ValidationError> Errors { get; } = [];

    public void Add(string path, string message) => Errors.Add(new ValidationError(source, path, message));
}
