using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>What the runtime needs of a store: list, watch, get and finalizer updates of one kind of object.</summary>
/// <remarks>
/// A watch that fell too far behind for the store to resume it throws <see cref="WatchExpiredException"/>;
/// the informer then relists. Any other exception is retried by watching again from the last version seen.
/// </remarks>
public interface IObjectSource<T> where T : IObject
{
    /// <summary>The kind of object, as spans name it (<c>reconcile PulumiPipeline</c>).</summary>
    string Kind { get; }

    Task<ListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>Changes after <paramref name="fromVersion"/> (a list's version or an event's), in order.</summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? fromVersion, CancellationToken cancellationToken);

    Task<T?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the finalizer list, conditional on <paramref name="resourceVersion"/> and <paramref name="uid"/> (a
    /// re-created object with the same name is another object); null when that removed the object.
    /// </summary>
    Task<T?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken);
}
