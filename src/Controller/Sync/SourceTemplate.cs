using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

/// <summary>One valid PulumiPipelineTemplate of a revision and where it was declared (a file relative to the synced path, and its first line).</summary>
public sealed record SourceTemplate(string File, int Line, PulumiPipelineTemplate Template);
