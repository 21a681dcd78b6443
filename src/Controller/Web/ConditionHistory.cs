using System.Collections.Concurrent;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Web;

/// <summary>Keeps, per spec, the condition changes the informer has seen (the store holds only the current ones).</summary>
/// <remarks>In memory and bounded (<see cref="Capacity"/> per spec); starts with what the first list shows.</remarks>
public sealed class ConditionHistory(TimeProvider time, int capacity = 50) : IInformerHandler<PulumiPipeline>
{
    private readonly ConcurrentDictionary<string, Changes> _bySpec = new(StringComparer.Ordinal);

    public int Capacity => capacity;

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<ConditionChange> For(string name) => _bySpec.TryGetValue(name, out var changes) ? changes.Snapshot() : [];

    public void OnAdd(PulumiPipeline added) => Record(null, added);

    public void OnUpdate(PulumiPipeline previous, PulumiPipeline current) => Record(previous, current);

    public void OnDelete(PulumiPipeline deleted) => _bySpec.TryRemove(deleted.Metadata.Name, out _);

    public void OnResync(PulumiPipeline cached)
    {
    }

    private void Record(PulumiPipeline? previous, PulumiPipeline current)
    {
        var before = previous?.Status?.Conditions ?? [];
        var changes = _bySpec.GetOrAdd(current.Metadata.Name, _ => new Changes(capacity));
        foreach (var condition in current.Status?.Conditions ?? [])
        {
            var old = Conditions.Find(before, condition.Type);
            if (old is null || old.Status != condition.Status || old.Reason != condition.Reason || old.Message != condition.Message)
            {
                changes.Add(new ConditionChange(
                    old is null || old.Status != condition.Status ? condition.LastTransitionTime : time.GetUtcNow(),
                    condition.Type, condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration));
            }
        }
    }

    private sealed class Changes(int capacity)
    {
        private readonly Queue<ConditionChange> _items = new();

        public void Add(ConditionChange change)
        {
            lock (_items)
            {
                _items.Enqueue(change);
                while (_items.Count > capacity)
                {
                    _items.Dequeue();
                }
            }
        }

        public IReadOnlyList<ConditionChange> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }
}
