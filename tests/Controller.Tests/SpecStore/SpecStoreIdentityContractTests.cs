using Reconciler.Controller.Store;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>Issue 11, item 4: a document deleted and created again under the same name is another object.</summary>
public abstract partial class SpecStoreContractTests
{
    [Fact]
    public async Task Writes_meant_for_a_deleted_document_never_land_on_its_recreation_at_the_same_resource_version()
    {
        var store = await OpenAsync();
        var old = await store.CreateAsync(Pipeline("website"), Ct);
        var oldWithStatus = await store.UpdateStatusAsync("website", "1", old.Metadata.Uid, Status("Ready", 1), Ct);
        Assert.Null(await store.DeleteAsync("website", null, Ct));

        // Created again and moved to the same resourceVersion the old one had: only the uid tells them apart.
        var fresh = await store.CreateAsync(Pipeline("website"), Ct);
        fresh = await store.UpdateAsync(fresh.WithBranch("trunk"), Ct);
        Assert.Equal(oldWithStatus.Metadata.ResourceVersion, fresh.Metadata.ResourceVersion);
        Assert.NotEqual(old.Metadata.Uid, fresh.Metadata.Uid);

        var status = await Assert.ThrowsAsync<StoreConflictException>(() => store.UpdateStatusAsync("website", "2", old.Metadata.Uid, Status("Failed", 1), Ct));
        Assert.Contains("'website'", status.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StoreConflictException>(() => store.UpdateFinalizersAsync("website", "2", old.Metadata.Uid, ["reconciler/cleanup"], Ct));

        var current = await store.GetAsync("website", Ct);
        Assert.Equal(fresh.Metadata.Uid, current!.Metadata.Uid);
        Assert.Equal("2", current.Metadata.ResourceVersion);
        Assert.Null(current.Status);
        Assert.Null(current.Metadata.Finalizers);

        // The same writes with the new object's uid are the new object's own.
        var written = await store.UpdateStatusAsync("website", "2", fresh.Metadata.Uid, Status("Ready", 2), Ct);
        Assert.Equal("Ready", written.Status!.Phase);
        var finalized = await store.UpdateFinalizersAsync("website", "3", fresh.Metadata.Uid, ["reconciler/cleanup"], Ct);
        Assert.Equal(["reconciler/cleanup"], finalized!.Metadata.Finalizers);
    }
}
