namespace Reconciler.Controller.Store;

/// <summary>What applying one document did (in a dry run: would do).</summary>
/// <param name="Outcome"><c>created</c>, <c>configured</c> or <c>unchanged</c>, as <c>apply</c> prints it.</param>
/// <param name="Kind">The document's kind: a PulumiPipeline unless said otherwise.</param>
public sealed record SpecApplyResult(string Name, string Outcome, string Kind = Model.Documents.PulumiPipeline.KindName)
{
    public const string Created = "created";
    public const string Configured = "configured";
    public const string Unchanged = "unchanged";
}
