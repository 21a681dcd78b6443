using System.Text.Json;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Runtime;

/// <summary>Adapts the spec store to what the runtime needs: <see cref="IObjectSource{T}"/> of <see cref="PulumiPipeline"/>.</summary>
public sealed class SpecStoreObjectSource(ISpecStore store, string? labelSelector = null) : IObjectSource<PulumiPipeline>
{
    public string Kind => PulumiPipeline.KindName;

    /// <summary>A deep copy through the source-generated serializer, for the informer to hand out.</summary>
    public static PulumiPipeline Copy(PulumiPipeline document) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(document, ModelJsonContext.Default.PulumiPipeline), ModelJsonContext.Default.PulumiPipeline)!;

    /// <summary>A status writer for pipelines that skips writes when the status did not change.</summary>
    public StatusWriter<PulumiPipeline, PipelineStatus> StatusWriter() => new(
        document => document.Status,
        (document, status, ct) => store.UpdateStatusAsync(document.Metadata.Name, document.Metadata.ResourceVersion ?? "", document.Metadata.Uid, status, ct),
        ModelJsonContext.Default.PipelineStatus);

    public Task<ListPage<PulumiPipeline>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken) =>
        store.ListAsync(new ListOptions(limit, continueToken, labelSelector), cancellationToken);

    // The store's events and its WatchExpiredException are the runtime's own: nothing to translate.
    public IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, CancellationToken cancellationToken) =>
        store.WatchAsync(fromVersion, cancellationToken);

    public Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken) => store.GetAsync(name, cancellationToken);

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        store.UpdateFinalizersAsync(name, resourceVersion, uid, finalizers, cancellationToken);
}
