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

    /// <summary>Why the prunes of <paramref name="plan"/> are refused (null: allowed): more than <paramref name="maxPruneShare"/> of the owned documents, or all of them.</summary>
    public static string? PruneRefusal(SyncPlan plan, double maxPruneShare)
    {
        var prunes = plan.Count(SyncAction.Prune);
        if (prunes == 0 || plan.Owned == 0)
        {
            return null;
        }
        // Everything: nothing this source owns would remain declared (documents kept by their opt-out count as gone).
        if (prunes + plan.Count(SyncAction.KeepPruneDisabled) == plan.Owned)
        {
            return $"the revision would prune every one of the {plan.Owned} document(s) this source owns";
        }
        var share = (double)prunes / plan.Owned;
        return share > maxPruneShare
            ? $"the revision would prune {prunes} of the {plan.Owned} document(s) this source owns ({share:P0}, more than the {maxPruneShare:P0} allowed)"
            : null;
    }

    /// <summary>The source that owns a stored document (null: created by hand or by <c>apply</c>).</summary>
    public static string? OwnerOf(PulumiPipeline document) => document.Metadata.Annotations?.GetValueOrDefault(SyncAnnotations.Source);

    private static PulumiPipeline Stamp(PulumiPipeline document, string sourceId, string revision, string file, string? traceParent)
    {
        var annotations = new Dictionary<string, string>(document.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [SyncAnnotations.Source] = sourceId,
            [SyncAnnotations.Revision] = revision,
            [SyncAnnotations.File] = file,
        };
        if (traceParent is not null)
        {
            annotations[Runtime.RuntimeAnnotations.TraceParent] = traceParent;
        }
        return document with { Metadata = document.Metadata with { Annotations = annotations } };
    }
}
