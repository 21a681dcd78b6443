using System.Runtime.CompilerServices;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// Watch by polling, where the table has no stream or the endpoint no Streams API: each poll scans only name,
/// resourceVersion and uid of every item (consistent, paged), reads in full just the items that changed, and
/// diffs against the last snapshot. Changes between two polls coalesce into one event per key (never out of
/// order); a deleted-and-recreated key shows as Deleted then Added.
/// </summary>
internal sealed class DynamoDbPollingWatch(DynamoDbSpecStore store, TimeProvider clock, TimeSpan interval)
{
    public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, PulumiPipeline> baseline;
        string version;
        if (fromVersion is null)
        {
            baseline = await store.ScanAllAsync(cancellationToken);
            version = store.Bookmarks.Register(baseline);
            await Task.Delay(interval, clock, cancellationToken);
        }
        else
        {
            baseline = store.Bookmarks.TryGet(fromVersion) ?? throw new WatchExpiredException(
                $"watch version '{fromVersion}' is not one this process's polling watch of table {store.TableName} remembers (another process, or too old); relist");
            version = fromVersion;
        }
        while (true)
        {
            var (current, changes) = await PollAsync(baseline, cancellationToken);
            if (changes.Count > 0)
            {
                var next = store.Bookmarks.Register(current);
                for (var i = 0; i < changes.Count; i++)
                {
                    // Only the last event of a batch may carry the new version: resuming from an earlier one
                    // must deliver the rest of the batch again rather than skip it.
                    yield return changes[i] with { Version = i == changes.Count - 1 ? next : version };
                }
                version = next;
            }
            baseline = current;
            await Task.Delay(interval, clock, cancellationToken);
        }
    }

    private async Task<(Dictionary<string, PulumiPipeline> Current, List<WatchEvent<PulumiPipeline>> Changes)> PollAsync(
        Dictionary<string, PulumiPipeline> baseline, CancellationToken cancellationToken)
    {
        var heads = await store.ScanHeadsAsync(cancellationToken);
        var changed = heads
            .Where(head => !baseline.TryGetValue(head.Key, out var known)
                || known.Metadata.ResourceVersion != head.Value.ResourceVersion
                || known.Metadata.Uid != head.Value.Uid)
            .Select(head => head.Key)
            .ToHashSet(StringComparer.Ordinal);
        var fetched = changed.Count == 0 ? [] : await store.FetchAsync(changed, cancellationToken);
        var current = new Dictionary<string, PulumiPipeline>(StringComparer.Ordinal);
        var changes = new List<WatchEvent<PulumiPipeline>>();
        foreach (var name in baseline.Keys.Union(heads.Keys).Order(StringComparer.Ordinal))
        {
            var had = baseline.TryGetValue(name, out var old);
            PulumiPipeline? now = null;
            if (heads.ContainsKey(name))
            {
                // Unchanged items keep the document already known; changed ones were just read (absent if malformed or gone).
                now = changed.Contains(name) ? fetched.GetValueOrDefault(name) : old;
            }
            var has = now is not null;
            if (has)
            {
                current[name] = now!;
            }
            if (had && !has)
            {
                changes.Add(new WatchEvent<PulumiPipeline>(WatchEventType.Deleted, old!, null));
            }
            else if (!had && has)
            {
                changes.Add(new WatchEvent<PulumiPipeline>(WatchEventType.Added, now!, null));
            }
            else if (had && has && old!.Metadata.Uid != now!.Metadata.Uid)
            {
                changes.Add(new WatchEvent<PulumiPipeline>(WatchEventType.Deleted, old, null));
                changes.Add(new WatchEvent<PulumiPipeline>(WatchEventType.Added, now, null));
            }
            else if (had && has && old!.Metadata.ResourceVersion != now!.Metadata.ResourceVersion)
            {
                changes.Add(new WatchEvent<PulumiPipeline>(WatchEventType.Modified, now, null));
            }
        }
        return (current, changes);
    }
}
