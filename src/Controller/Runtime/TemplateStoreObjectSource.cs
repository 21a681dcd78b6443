using System.Globalization;
using System.Runtime.CompilerServices;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>
/// Adapts the template store to the runtime: an <see cref="IObjectSource{T}"/> of templates whose watch lists every
/// template each <paramref name="pollInterval"/> and reports what changed since the list it follows (templates are
/// few, and the store keeps no change log of them, so the spec watch's log and stream stay specs' alone). Where the
/// store has a change mark (DynamoDB, whose list scans the whole table) a poll lists only when the mark moved, or
/// every <see cref="FullListPeriod"/>.
/// </summary>
/// <remarks>One informer per source: the watch diffs against the snapshot of the source's last list or poll.</remarks>
public sealed class TemplateStoreObjectSource(ITemplateStore store, TimeSpan pollInterval, TimeProvider? time = null) : IObjectSource<PulumiPipelineTemplate>
{
    /// <summary>However still the store's change mark stands, the templates are listed again this often.</summary>
    public static readonly TimeSpan FullListPeriod = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Dictionary<string, PulumiPipelineTemplate> _seen = new(StringComparer.Ordinal);
    private long _polls;
    private string? _mark;
    private long _listedAt;

    public string Kind => PulumiPipelineTemplate.KindName;

    public async Task<ListPage<PulumiPipelineTemplate>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        // The mark is read before the list: a write between the two shows in the list or moves the mark past it.
        _mark = await store.ChangeMarkAsync(cancellationToken);
        _listedAt = _time.GetTimestamp();
        var templates = await store.ListAsync(cancellationToken);
        _seen = templates.ToDictionary(t => t.Metadata.Name, StringComparer.Ordinal);
        return new ListPage<PulumiPipelineTemplate>(templates, null, NextVersion());
    }

    public async IAsyncEnumerable<WatchEvent<PulumiPipelineTemplate>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(pollInterval, _time, cancellationToken);
            var mark = await store.ChangeMarkAsync(cancellationToken);
            if (mark is not null && mark == _mark && _time.GetElapsedTime(_listedAt) < FullListPeriod)
            {
                continue;
            }
            _mark = mark;
            _listedAt = _time.GetTimestamp();
            var now = (await store.ListAsync(cancellationToken)).ToDictionary(t => t.Metadata.Name, StringComparer.Ordinal);
            var previous = _seen;
            _seen = now;
            var version = NextVersion();
            foreach (var (name, template) in now)
            {
                if (!previous.TryGetValue(name, out var before))
                {
                    yield return new WatchEvent<PulumiPipelineTemplate>(WatchEventType.Added, template, version);
                }
                else if (before.Metadata.ResourceVersion != template.Metadata.ResourceVersion || before.Metadata.Uid != template.Metadata.Uid)
                {
                    yield return new WatchEvent<PulumiPipelineTemplate>(WatchEventType.Modified, template, version);
                }
            }
            foreach (var (name, gone) in previous.Where(p => !now.ContainsKey(p.Key)))
            {
                yield return new WatchEvent<PulumiPipelineTemplate>(WatchEventType.Deleted, gone, version);
            }
        }
    }

    public Task<PulumiPipelineTemplate?> GetAsync(string name, CancellationToken cancellationToken) => store.GetAsync(name, cancellationToken);

    /// <summary>Templates carry no finalizers (nothing in AWS is theirs): only clearing them is accepted, and changes nothing.</summary>
    public async Task<PulumiPipelineTemplate?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        if (finalizers.Count > 0)
        {
            throw new InvalidOperationException($"template '{name}': templates carry no finalizers");
        }
        return await store.GetAsync(name, cancellationToken);
    }

    private string NextVersion() => Interlocked.Increment(ref _polls).ToString(CultureInfo.InvariantCulture);
}
