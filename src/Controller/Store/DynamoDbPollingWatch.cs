using System.Runtime.CompilerServices;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// Watch by polling: consistent paged scans of the table, diffed by resourceVersion against the last snapshot.
/// Used where the table has no stream or the endpoint no Streams API. Changes between two polls coalesce into
/// one event per key (never out of order); a deleted-and-recreated key shows as Deleted then Added.
/// </summary>
internal sealed class DynamoDbPollingWatch(DynamoDbSpecStore store, TimeProvider clock, TimeSpan interval)
{
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
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
            var current = await store.ScanAllAsync(cancellationToken);
            var changes = Diff(baseline, current);
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

    private static List<WatchEvent> Diff(Dictionary<string, PulumiPipeline> before, Dictionary<string, PulumiPipeline> after)
    {
        var changes = new List<WatchEvent>();
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.TryGetValue(name, out var old);
            var has = after.TryGetValue(name, out var now);
            if (had && !has)
            {
                changes.Add(new WatchEvent(WatchEventType.Deleted, old!, null));
            }
            else if (!had && has)
            {
                changes.Add(new WatchEvent(WatchEventType.Added, now!, null));
            }
            else if (old!.Metadata.Uid != now!.Metadata.Uid)
            {
                changes.Add(new WatchEvent(WatchEventType.Deleted, old, null));
                changes.Add(new WatchEvent(WatchEventType.Added, now, null));
            }
            else if (old.Metadata.ResourceVersion != now.Metadata.ResourceVersion)
            {
                changes.Add(new WatchEvent(WatchEventType.Modified, now, null));
            }
        }
        return changes;
    }
}
