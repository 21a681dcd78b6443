using System.Runtime.CompilerServices;
using System.Text.Json;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Runtime;

/// <summary>Adapts the spec store to what the runtime needs: <see cref="IObjectSource{T}"/> of <see cref="PulumiPipeline"/>.</summary>
/// <remarks>
/// The label selector scopes everything the runtime sees: list, watch and get. A document outside it does not exist
/// for the runtime, so one relabelled out of scope reaches the cache as a deletion (dropped, never finalized).
/// </remarks>
public sealed class SpecStoreObjectSource(ISpecStore store, string? labelSelector = null) : IObjectSource<PulumiPipeline>
{
    private readonly LabelSelector _selector = LabelSelector.Parse(labelSelector);

    public string Kind => PulumiPipeline.KindName;

    /// <summary>A deep copy through the source-generated serializer, for the informer to hand out.</summary>
    public static PulumiPipeline Copy(PulumiPipeline document) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(document, ModelJsonContext.Default.PulumiPipeline), ModelJsonContext.Default.PulumiPipeline)!;

    /// <summary>A status writer for pipelines that skips writes when the status did not change, and tells <paramref name="cache"/> of each write.</summary>
    public StatusWriter<PulumiPipeline, PipelineStatus> StatusWriter(Informer<PulumiPipeline>? cache = null) => new(
        document => document.Status,
        (document, status, ct) => store.UpdateStatusAsync(document.Metadata.Name, document.Metadata.ResourceVersion ?? "", document.Metadata.Uid, status, ct),
        ModelJsonContext.Default.PipelineStatus,
        cache);

    public Task<ListPage<PulumiPipeline>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
        store.ListAsync(new ListOptions(limit, continueToken, labelSelector), cancellationToken);

    // The store's events and its WatchExpiredException are the runtime's own; only the scope is applied here.
    public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in store.WatchAsync(fromVersion, cancellationToken).WithCancellation(cancellationToken))
        {
            // Deletions pass as they are: the informer drops only what it holds.
            yield return change.Type == WatchEventType.Deleted || InScope(change.Object) ? change : change with { Type = WatchEventType.Deleted };
        }
    }

    public async Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken) =>
        await store.GetAsync(name, cancellationToken) is { } document && InScope(document) ? document : null;

    private bool InScope(PulumiPipeline document) => _selector.Matches(document.Metadata.Labels);

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        store.UpdateFinalizersAsync(name, resourceVersion, uid, finalizers, cancellationToken);
}
