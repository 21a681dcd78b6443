using System.Text;
using Reconciler.Controller.Sync;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Cli;

/// <summary>The text and Markdown reports of <c>reconciler sync</c>: per document what changes, then (with <c>--live</c>) what that does in AWS.</summary>
public static class SyncReport
{
    /// <summary>Live differences of one changed document: the lines of <c>reconciler diff</c>, or why they could not be read.</summary>
    public sealed record LivePreview(string Name, IReadOnlyList<string> Lines);

    public static IReadOnlyList<string> Text(GitSource source, SyncResult result, bool dryRun, IReadOnlyList<LivePreview> live)
    {
        var lines = new List<string>();
        var plan = result.Plan;
        if (result.ResumedRevision is { } resumed)
        {
            lines.Add($"completed interrupted revision {resumed} first");
        }
        if (plan is null)
        {
            return lines;
        }
        var suffix = dryRun ? " (dry run)" : "";
        // Templates first: they are written before the specs that name them.
        foreach (var change in plan.Templates.Where(c => c.Action is not SyncAction.Unchanged))
        {
            lines.Add($"{Symbol(change.Action)} pulumipipelinetemplate/{change.Name} {Verb(change.Action)}{suffix}{(change.File is null ? "" : $"  ({change.File})")}");
            lines.AddRange(change.Deltas.Select(d => $"    {d.Path}: {Cut(d.Old)} → {Cut(d.New)}"));
        }
        foreach (var change in plan.Changes.Where(c => c.Action is not SyncAction.Unchanged))
        {
            lines.Add($"{Symbol(change.Action)} pulumipipeline/{change.Name} {Verb(change.Action)}{suffix}{(change.File is null ? "" : $"  ({change.File})")}");
            lines.AddRange(change.Deltas.Select(d => $"    {d.Path}: {Cut(d.Old)} → {Cut(d.New)}"));
            foreach (var preview in live.Where(p => p.Name == change.Name))
            {
                lines.AddRange(preview.Lines.Select(l => "    " + l));
            }
        }
        lines.Add($"{source.Id} @ {plan.Revision}: {Summary(plan)}");
        return lines;
    }

    public static string Markdown(GitSource source, SyncResult result, IReadOnlyList<LivePreview> live)
    {
        var text = new StringBuilder();
        text.AppendLine("### reconciler sync preview").AppendLine();
        text.AppendLine($"Source `{source.Id}` at `{result.Revision ?? "(unknown)"}`: **{Headline(result)}**").AppendLine();
        if (result.Errors.Count > 0)
        {
            text.AppendLine("| problem |").AppendLine("|---|");
            foreach (var error in result.Errors)
            {
                text.AppendLine($"| {Escape(error)} |");
            }
            text.AppendLine();
        }
        if (result.Plan is not { } plan)
        {
            return text.ToString();
        }
        text.AppendLine("| document | change | file | fields |").AppendLine("|---|---|---|---|");
        foreach (var change in plan.Templates.Where(c => c.Action is not SyncAction.Unchanged))
        {
            text.AppendLine($"| template `{change.Name}` | {Verb(change.Action)} | {Escape(change.File ?? "")} | {change.Deltas.Count} |");
        }
        foreach (var change in plan.Changes.Where(c => c.Action is not SyncAction.Unchanged))
        {
            text.AppendLine($"| `{change.Name}` | {Verb(change.Action)} | {Escape(change.File ?? "")} | {change.Deltas.Count} |");
        }
        text.AppendLine();
        foreach (var change in plan.Changes.Where(c => c.Deltas.Count > 0 || live.Any(p => p.Name == c.Name)))
        {
            text.AppendLine($"<details><summary><code>{change.Name}</code> {Verb(change.Action)}</summary>").AppendLine();
            text.AppendLine("```diff");
            foreach (var delta in change.Deltas)
            {
                text.AppendLine($"- {delta.Path}: {Cut(delta.Old)}");
                text.AppendLine($"+ {delta.Path}: {Cut(delta.New)}");
            }
            foreach (var preview in live.Where(p => p.Name == change.Name))
            {
                text.AppendLine("# live AWS:");
                foreach (var line in preview.Lines)
                {
                    text.AppendLine(line);
                }
            }
            text.AppendLine("```").AppendLine().AppendLine("</details>").AppendLine();
        }
        text.AppendLine(Summary(plan));
        return text.ToString();
    }

    /// <summary>What pruning a document does to its resources, from its last recorded status.</summary>
    public static IReadOnlyList<string> PruneEffect(PulumiPipeline current)
    {
        var resources = current.Status?.Resources ?? [];
        var retain = current.Spec.DeletionPolicy == DeletionPolicies.Retain;
        if (resources.Count == 0)
        {
            return ["(no resources recorded in its status)"];
        }
        return [.. resources.Select(r => $"► {r.Kind}/{r.Name} {(retain ? "retained (deletionPolicy Retain)" : "deleted")}")];
    }

    public static string Summary(SyncPlan plan) =>
        $"{plan.Count(SyncAction.Create)} to create, {plan.Count(SyncAction.Update) + plan.Count(SyncAction.Adopt)} to update, {plan.Count(SyncAction.Prune)} to prune, " +
        $"{plan.Count(SyncAction.Unchanged)} unchanged" +
        (plan.Count(SyncAction.KeepPruneDisabled) > 0 ? $", {plan.Count(SyncAction.KeepPruneDisabled)} kept (prune disabled)" : "") +
        (plan.Conflicts.Count > 0 ? $", {plan.Conflicts.Count} conflict(s)" : "");

    private static string Headline(SyncResult result) => result.Outcome switch
    {
        SyncOutcome.NoChange => "no change",
        SyncOutcome.Applied => "changes",
        SyncOutcome.Invalid => "invalid revision",
        SyncOutcome.Conflict => "ownership conflict",
        SyncOutcome.PruneRefused => "prune refused",
        _ => "failed",
    };

    private static string Symbol(SyncAction action) => action switch
    {
        SyncAction.Create => "+",
        SyncAction.Update or SyncAction.Adopt => "~",
        SyncAction.Prune => "-",
        SyncAction.Conflict => "!",
        _ => "=",
    };

    private static string Verb(SyncAction action) => action switch
    {
        SyncAction.Create => "created",
        SyncAction.Update => "configured",
        SyncAction.Adopt => "adopted",
        SyncAction.Prune => "pruned",
        SyncAction.KeepPruneDisabled => "kept (prune disabled)",
        SyncAction.Conflict => "conflict",
        _ => "unchanged",
    };

    private static string Cut(string? value) => value switch
    {
        null => "(none)",
        { Length: > DiffReport.MaxValueLength } => value[..(DiffReport.MaxValueLength - 1)] + "…",
        _ => value,
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
