using Reconciler.Model.Planning;

namespace Reconciler.Controller.Cli;

/// <summary>The text of <c>reconciler diff</c>: per resource a header with its state, then its changed fields.</summary>
public static class DiffReport
{
    /// <summary>Longer values are cut here: a buildspec is many lines, and the path already says what changed.</summary>
    public const int MaxValueLength = 120;

    /// <summary>Lines such as <c>► CodeBuildProject/website-staging drifted</c> and <c>  environment.computeType: "A" → "B"</c>.</summary>
    public static IReadOnlyList<string> Lines(Plan plan)
    {
        var lines = new List<string>();
        foreach (var conflict in plan.Conflicts)
        {
            lines.Add($"► {conflict.Resource} conflict: not owned by this spec (owner: {conflict.Owner})");
        }
        foreach (var step in plan.Steps)
        {
            var state = step.Action switch
            {
                StepAction.Create => "missing",
                StepAction.Update => "drifted",
                StepAction.Delete => "extra",
                _ => "owned",
            };
            lines.Add($"► {step.Resource} {state}");
            lines.AddRange(step.Deltas.Select(d => $"  {d.Path}: {Cut(d.Old)} → {Cut(d.New)}"));
        }
        lines.AddRange(plan.InSync.Select(r => $"► {r} in sync"));
        return lines;
    }

    private static string Cut(string? value) => value switch
    {
        null => "(none)",
        { Length: > MaxValueLength } => value[..(MaxValueLength - 1)] + "…",
        _ => value,
    };
}
