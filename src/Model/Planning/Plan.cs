namespace Reconciler.Model.Planning;

/// <summary>What it takes to bring live to desired: ordered steps, the conflicts that forbid touching, and what is in sync.</summary>
/// <remarks>Steps run in order: projects, then webhooks, then the pipeline, then project deletions (a pipeline refers to its projects).</remarks>
public sealed record Plan(IReadOnlyList<PlanStep> Steps, IReadOnlyList<OwnershipConflict> Conflicts, IReadOnlyList<ResourceRef> InSync)
{
    public static Plan Empty { get; } = new([], [], []);

    /// <summary>No step and no conflict: live is desired.</summary>
    public bool IsEmpty => Steps.Count == 0 && Conflicts.Count == 0;

    public int Count(StepAction action) => Steps.Count(s => s.Action == action);

    /// <summary>Every changed field as <c>Kind/name: path</c>, or the resource alone for creates and deletes.</summary>
    public IReadOnlyList<string> ChangedPaths() =>
        Steps.SelectMany(step => step.Deltas.Count == 0
                ? [$"{step.Resource} ({step.Action.ToString().ToLowerInvariant()})"]
                : step.Deltas.Select(d => $"{step.Resource}: {d.Path}"))
            .ToList();
}
