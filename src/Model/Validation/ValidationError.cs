namespace Reconciler.Model.Validation;

/// <summary>One problem found in a document: where (source and JSON path) and what is wrong.</summary>
public sealed record ValidationError(string Source, string Path, string Message)
{
    public override string ToString() => $"{Source}: {Path}: {Message}";
}
