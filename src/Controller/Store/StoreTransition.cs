using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>What a write does to the stored item: nothing, store <see cref="Document"/>, or remove it (<see cref="Document"/> is its last state).</summary>
internal sealed record StoreTransition(StoreTransitionKind Kind, PulumiPipeline Document)
{
    public static StoreTransition Unchanged(PulumiPipeline current) => new(StoreTransitionKind.Unchanged, current);
    public static StoreTransition Put(PulumiPipeline next) => new(StoreTransitionKind.Put, next);
    public static StoreTransition Remove(PulumiPipeline last) => new(StoreTransitionKind.Remove, last);
}

/// <summary>The three outcomes of <see cref="ObjectLifecycle"/>.</summary>
internal enum StoreTransitionKind
{
    Unchanged,
    Put,
    Remove,
}
