using Reconciler.Model.Documents;

namespace Reconciler.Controller.Sync;

/// <summary>Plans the sync of one valid revision against the stored documents: ownership decides what may be touched.</summary>
public static class SyncPlanner
{
    /// <param name="stored">Every stored document (all sources, and those created by hand).</param>
    /// <param name="traceParent">The sync's W3C trace context, written on each document the sync writes (null: none).</param>
    public static SyncPlan Plan(GitSource source, string revision, IReadOnlyList<SourceDocument> documents, IReadOnlyList<PulumiPipeline> stored, bool adopt, string? traceParent)
    {
        var byName = stored.ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        var sourceId = source.Id;
        var changes = new List<SyncChange>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, _, document) in documents)
        {
            var name = document.Metadata.Name;
            declared.Add(name);
            var desired = Stamp(document, sourceId, revision, file, traceParent);
            if (!byName.TryGetValue(name, out var current))
            {
                changes.Add(new SyncChange(SyncAction.Create, name, file, null, desired, []));
                continue;
            }
            var owner = OwnerOf(current);
            if (owner != sourceId && !adopt)
            {
                changes.Add(new SyncChange(SyncAction.Conflict, name, file, current, desired, [], owner ?? "none"));
                continue;
            }
            var deltas = DocumentDiff.Compare(current, desired);
            var action = owner != sourceId ? SyncAction.Adopt : deltas.Count > 0 ? SyncAction.Update : SyncAction.Unchanged;
            changes.Add(new SyncChange(action, name, file, current, desired, deltas, owner));
        }
        var owned = stored.Where(d => OwnerOf(d) == sourceId).ToList();
        foreach (var gone in owned.Where(d => !declared.Contains(d.Metadata.Name)).OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
        {
            if (gone.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }
            var keep = gone.Metadata.Annotations?.GetValueOrDefault(SyncAnnotations.Prune) == SyncAnnotations.PruneDisabled;
            changes.Add(new SyncChange(keep ? SyncAction.KeepPruneDisabled : SyncAction.Prune, gone.Metadata.Name,
                gone.Metadata.Annotations?.GetValueOrDefault(SyncAnnotations.File), gone, null, []));
        }
        return new SyncPlan(revision, changes, owned.Count);
    }

    /// <summary>
    /// Plans the revision's templates as <see cref="Plan"/> plans specs (ownership, conflicts, adoption), and prunes
    /// the templates this source owns that the revision no longer declares.
    /// </summary>
    public static IReadOnlyList<SyncTemplateChange> PlanTemplates(GitSource source, string revision, IReadOnlyList<SourceTemplate> templates, IReadOnlyList<PulumiPipelineTemplate> stored, bool adopt)
    {
        var byName = stored.ToDictionary(t => t.Metadata.Name, StringComparer.Ordinal);
        var sourceId = source.Id;
        var changes = new List<SyncTemplateChange>();
        foreach (var (file, _, template) in templates)
        {
            var name = template.Metadata.Name;
            var desired = template with { Metadata = template.Metadata with { Annotations = Stamped(template.Metadata.Annotations, sourceId, revision, file, null) } };
            if (!byName.TryGetValue(name, out var current))
            {
                changes.Add(new SyncTemplateChange(SyncAction.Create, name, file, null, desired, []));
                continue;
            }
            var owner = OwnerOf(current.Metadata);
            if (owner != sourceId && !adopt)
            {
                changes.Add(new SyncTemplateChange(SyncAction.Conflict, name, file, current, desired, [], owner ?? "none"));
                continue;
            }
            var deltas = DocumentDiff.Compare(current, desired);
            var action = owner != sourceId ? SyncAction.Adopt : deltas.Count > 0 ? SyncAction.Update : SyncAction.Unchanged;
            changes.Add(new SyncTemplateChange(action, name, file, current, desired, deltas, owner));
        }
        var declared = templates.Select(t => t.Template.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Where(t => OwnerOf(t.Metadata) == sourceId && !declared.Contains(t.Metadata.Name)).OrderBy(t => t.Metadata.Name, StringComparer.Ordinal))
        {
            var keep = gone.Metadata.Annotations?.GetValueOrDefault(SyncAnnotations.Prune) == SyncAnnotations.PruneDisabled;
            changes.Add(new SyncTemplateChange(keep ? SyncAction.KeepPruneDisabled : SyncAction.Prune, gone.Metadata.Name,
                gone.Metadata.Annotations?.GetValueOrDefault(SyncAnnotations.File), gone, null, []));
        }
        return changes;
    }

    /// <summary>
    /// One message per template the plan would prune that a spec staying in the store still names (the revision's
    /// specs, and stored specs the plan does not prune), naming those specs; empty when every prune may go.
    /// </summary>
    public static IReadOnlyList<string> TemplatesInUse(SyncPlan plan, IReadOnlyList<PulumiPipeline> stored)
    {
        var prunes = plan.Templates.Where(t => t.Action == SyncAction.Prune).ToList();
        if (prunes.Count == 0)
        {
            return [];
        }
        // The store as it will be: the plan's documents replace their stored copies, pruned ones are gone.
        var remaining = stored.ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        foreach (var change in plan.Changes)
        {
            if (change.Action == SyncAction.Prune)
            {
                remaining.Remove(change.Name);
            }
            else if (change.Action is SyncAction.Create or SyncAction.Update or SyncAction.Adopt or SyncAction.Unchanged)
            {
                remaining[change.Name] = change.Desired!;
            }
        }
        var messages = new List<string>();
        foreach (var prune in prunes)
        {
            var users = remaining.Values.Where(d => d.Spec.Template == prune.Name).Select(d => d.Metadata.Name).Order(StringComparer.Ordinal).ToList();
            if (users.Count > 0)
            {
                messages.Add($"{prune.File ?? "(unknown file)"}: $.metadata.name: template '{prune.Name}' was removed from the repository but is still used by {users.Count} spec(s): {string.Join(", ", users)}; remove or change those specs first; nothing was written");
            }
        }
        return messages;
    }

    /// <summary>Why the prunes of <paramref name="plan"/> are refused (null: allowed): more than <paramref name="maxPruneShare"/> of the owned documents, or all of them.</summary>
    public static string? PruneRefusal(SyncPlan plan, double maxPruneShare)
    {
        // Specs only: templates are few, and one in use is never pruned (TemplatesInUse).
        var prunes = plan.Of(SyncAction.Prune).Count();
        if (prunes == 0 || plan.Owned == 0)
        {
            return null;
        }
        // Everything: nothing this source owns would remain declared (documents kept by their opt-out count as gone).
        if (prunes + plan.Of(SyncAction.KeepPruneDisabled).Count() == plan.Owned)
        {
            return $"the revision would prune every one of the {plan.Owned} document(s) this source owns";
        }
        var share = (double)prunes / plan.Owned;
        return share > maxPruneShare
            ? $"the revision would prune {prunes} of the {plan.Owned} document(s) this source owns ({share:P0}, more than the {maxPruneShare:P0} allowed)"
            : null;
    }

    /// <summary>The source that owns a stored document (null: created by hand or by <c>apply</c>).</summary>
    public static string? OwnerOf(PulumiPipeline document) => OwnerOf(document.Metadata);

    /// <summary>The source that owns a stored document of either kind (null: created by hand or by <c>apply</c>).</summary>
    public static string? OwnerOf(ObjectMeta metadata) => metadata.Annotations?.GetValueOrDefault(SyncAnnotations.Source);

    private static PulumiPipeline Stamp(PulumiPipeline document, string sourceId, string revision, string file, string? traceParent) =>
        document with { Metadata = document.Metadata with { Annotations = Stamped(document.Metadata.Annotations, sourceId, revision, file, traceParent) } };

    private static Dictionary<string, string> Stamped(IReadOnlyDictionary<string, string>? existing, string sourceId, string revision, string file, string? traceParent)
    {
        var annotations = new Dictionary<string, string>(existing ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [SyncAnnotations.Source] = sourceId,
            [SyncAnnotations.Revision] = revision,
            [SyncAnnotations.File] = file,
        };
        if (traceParent is not null)
        {
            annotations[Runtime.RuntimeAnnotations.TraceParent] = traceParent;
        }
        return annotations;
    }
}
