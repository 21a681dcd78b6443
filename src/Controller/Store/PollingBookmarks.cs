using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// The versions a polling watch can resume from. A version names the table's content (a hash of every item's
/// name, resourceVersion and uid), so two lists with no write between them report the same version; the
/// snapshot behind it (name → document) is kept in this process only, the last few of them. An unknown version
/// means relist.
/// </summary>
internal sealed class PollingBookmarks(int capacity)
{
    private const string Prefix = "p:";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConcurrentDictionary<string, PulumiPipeline>> _snapshots = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    /// <summary>
    /// A version for a list about to be read, from the heads of every item; until the list's pages fill it
    /// through <see cref="AddListed"/>, the snapshot holds each item's name, resourceVersion and uid only.
    /// </summary>
    public string StartList(IReadOnlyDictionary<string, ItemHead> heads)
    {
        var version = VersionOf(heads.Select(h => (h.Key, h.Value.ResourceVersion, h.Value.Uid)));
        lock (_gate)
        {
            if (!_snapshots.ContainsKey(version))
            {
                var placeholders = heads.ToDictionary(
                    h => h.Key,
                    h => new PulumiPipeline { Metadata = new ObjectMeta { Name = h.Key, ResourceVersion = h.Value.ResourceVersion, Uid = h.Value.Uid } },
                    StringComparer.Ordinal);
                Remember(version, new ConcurrentDictionary<string, PulumiPipeline>(placeholders, StringComparer.Ordinal));
            }
            else
            {
                Remember(version, _snapshots[version]);
            }
        }
        return version;
    }

    /// <summary>Puts the full document a list returned in place of its placeholder (only when it is the same version of it).</summary>
    public void AddListed(string version, PulumiPipeline document)
    {
        lock (_gate)
        {
            if (_snapshots.TryGetValue(version, out var snapshot)
                && snapshot.TryGetValue(document.Metadata.Name, out var known)
                && known.Metadata.ResourceVersion == document.Metadata.ResourceVersion
                && known.Metadata.Uid == document.Metadata.Uid)
            {
                snapshot[document.Metadata.Name] = document;
            }
        }
    }

    public string Register(IReadOnlyDictionary<string, PulumiPipeline> snapshot)
    {
        var version = VersionOf(snapshot.Values.Select(d => (d.Metadata.Name, d.Metadata.ResourceVersion, d.Metadata.Uid)));
        lock (_gate)
        {
            Remember(version, new ConcurrentDictionary<string, PulumiPipeline>(snapshot, StringComparer.Ordinal));
        }
        return version;
    }

    public Dictionary<string, PulumiPipeline>? TryGet(string version)
    {
        lock (_gate)
        {
            return _snapshots.TryGetValue(version, out var snapshot) ? new Dictionary<string, PulumiPipeline>(snapshot, StringComparer.Ordinal) : null;
        }
    }

    private void Remember(string version, ConcurrentDictionary<string, PulumiPipeline> snapshot)
    {
        _snapshots[version] = snapshot;
        _order.Remove(version);
        _order.AddLast(version);
        while (_order.Count > Math.Max(capacity, 2))
        {
            _snapshots.Remove(_order.First!.Value);
            _order.RemoveFirst();
        }
    }

    private static string VersionOf(IEnumerable<(string Name, string? ResourceVersion, string? Uid)> items)
    {
        var text = new StringBuilder();
        foreach (var (name, resourceVersion, uid) in items.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            text.Append(name).Append('\n').Append(resourceVersion).Append('\n').Append(uid).Append('\n');
        }
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..24];
    }
}
