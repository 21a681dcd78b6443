using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

/// <summary>One valid document of a revision and where it was declared (a file relative to the synced path, and its first line).</summary>
public sealed record SourceDocument(string File, int Line, PulumiPipeline Document);
