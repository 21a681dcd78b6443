using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>Where spec documents live, with Kubernetes API semantics (DESIGN.md, "Metadata and status").</summary>
/// <remarks>
/// Every mutation is conditional: a stale <c>resourceVersion</c> fails with <see cref="StoreConflictException"/>.
/// <c>generation</c> moves only when the spec changes (as in Kubernetes); label, annotation and status writes never move it.
/// </remarks>
public interface ISpecStore
{
    /// <summary>Creates a document; the store sets uid, generation 1, resourceVersion and creationTimestamp.</summary>
    Task<PulumiPipeline> CreateAsync(PulumiPipeline document, CancellationToken cancellationToken);

    Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken);

    Task<ListPage<PulumiPipeline>> ListAsync(ListOptions options, CancellationToken cancellationToken);

    /// <summary>Replaces spec, labels and annotations; precondition on <c>metadata.resourceVersion</c> (and on <c>metadata.uid</c> when both are set).</summary>
    Task<PulumiPipeline> UpdateAsync(PulumiPipeline document, CancellationToken cancellationToken);

    /// <summary>Replaces status only; precondition on <paramref name="resourceVersion"/>; never bumps generation.</summary>
    Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, PipelineStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces status only; precondition on <paramref name="resourceVersion"/> and <paramref name="uid"/> (null: any),
    /// so a status meant for a document that was deleted and created again never lands on the new one.
    /// </summary>
    Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, string? uid, PipelineStatus status, CancellationToken cancellationToken);

    /// <summary>Replaces the finalizer list; removing the last one of a deleting document removes it (returns null).</summary>
    Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, IReadOnlyList<string> finalizers, CancellationToken cancellationToken);

    /// <summary>As <see cref="UpdateFinalizersAsync(string, string, IReadOnlyList{string}, CancellationToken)"/>, also conditional on <paramref name="uid"/> (null: any).</summary>
    Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken);

    /// <summary>Marks the document deleted (sets deletionTimestamp) while finalizers remain, else removes it (returns null).</summary>
    Task<PulumiPipeline?> DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken);

    /// <summary>The templates kept beside the specs (same file or table; docs/templates.md, "Storage").</summary>
    ITemplateStore Templates { get; }

    /// <summary>An ordered stream of changes after <paramref name="fromVersion"/> (a list page's version or an event's version).</summary>
    IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, CancellationToken cancellationToken);
}

/// <summary>Paging and filtering for <see cref="ISpecStore.ListAsync"/>.</summary>
/// <param name="LabelSelector">Kubernetes equality selector, e.g. <c>team=web,tier!=canary</c>.</param>
public sealed record ListOptions(int Limit = 500, string? ContinueToken = null, string? LabelSelector = null);

/// <summary>One page of a list; <see cref="Version"/> is where a watch started after this list resumes.</summary>
/// <remarks>The store's and the runtime's one page type: the runtime is generic over its objects, the store lists specs.</remarks>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ContinueToken, string? Version) where T : IObject;

/// <summary>The kind of change a watch event reports.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One change seen by a watch; <see cref="Version"/> is the bookmark to resume after it (the store's and the runtime's one event type).</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object, string? Version) where T : IObject;
