using System.Collections.Concurrent;
using System.Globalization;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// The versions a polling watch can resume from: each is the snapshot (name → document) the caller last saw,
/// kept in this process only. A version from another process, or one evicted, is unknown: the caller relists.
/// </summary>
internal sealed class PollingBookmarks(int capacity)
{
    private const string Prefix = "p:";
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConcurrentDictionary<string, PulumiPipeline>> _snapshots = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _next;

    /// <summary>A version for a list that is about to be read; its pages fill the snapshot through <see cref="AddListed"/>.</summary>
    public string StartList() => Register(new Dictionary<string, PulumiPipeline>());

    /// <summary>Records that a list reported <paramref name="document"/>: a watch from the list's version diffs against what the lister saw.</summary>
    public void AddListed(string version, PulumiPipeline document)
    {
        lock (_gate)
        {
            if (_snapshots.TryGetValue(version, out var snapshot))
            {
                snapshot[document.Metadata.Name] = document;
            }
        }
    }

    public string Register(IReadOnlyDictionary<string, PulumiPipeline> snapshot)
    {
        lock (_gate)
        {
            var version = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{_instance}:{++_next}");
            _snapshots[version] = new ConcurrentDictionary<string, PulumiPipeline>(snapshot, StringComparer.Ordinal);
            _order.Enqueue(version);
            while (_order.Count > Math.Max(capacity, 2))
            {
                _snapshots.Remove(_order.Dequeue());
            }
            return version;
        }
    }

    public Dictionary<string, PulumiPipeline>? TryGet(string version)
    {
        lock (_gate)
        {
            return _snapshots.TryGetValue(version, out var snapshot) ? new Dictionary<string, PulumiPipeline>(snapshot, StringComparer.Ordinal) : null;
        }
    }
}
