using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

// The template kind's part of the contract: both adapters keep templates beside the specs, with the same metadata
// rules, and the spec list and watch never show them.
public abstract partial class SpecStoreContractTests
{
    private static PulumiPipelineTemplate Template(string name, string compute = "BUILD_GENERAL1_MEDIUM") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["team"] = "platform" } },
        Spec = new JsonObject { ["build"] = new JsonObject { ["computeType"] = compute }, ["driftPolicy"] = "Detect" },
    };

    [Fact]
    public async Task Templates_are_created_read_listed_and_deleted_with_store_owned_metadata()
    {
        var clock = new FakeTimeProvider(Epoch);
        var store = await OpenAsync(clock);
        var created = await store.Templates.CreateAsync(Template("standard"), Ct);
        await store.Templates.CreateAsync(Template("alpha"), Ct);

        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.Equal((1L, "1", Epoch), (created.Metadata.Generation, created.Metadata.ResourceVersion!, created.Metadata.CreationTimestamp!.Value));
        var read = await store.Templates.GetAsync("standard", Ct);
        Assert.NotNull(read);
        Assert.Equal("BUILD_GENERAL1_MEDIUM", (string?)read.Spec["build"]!["computeType"]);
        Assert.Equal("platform", read.Metadata.Labels!["team"]);
        Assert.Equal(["alpha", "standard"], (await store.Templates.ListAsync(Ct)).Select(t => t.Metadata.Name));
        var duplicate = await Assert.ThrowsAsync<StoreAlreadyExistsException>(() => store.Templates.CreateAsync(Template("standard"), Ct));
        Assert.Contains("'standard'", duplicate.Message);

        await store.Templates.DeleteAsync("standard", "1", Ct);
        Assert.Null(await store.Templates.GetAsync("standard", Ct));
        Assert.Equal(["alpha"], (await store.Templates.ListAsync(Ct)).Select(t => t.Metadata.Name));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => store.Templates.DeleteAsync("standard", null, Ct));
    }

    [Fact]
    public async Task A_template_update_moves_generation_only_when_its_spec_changes_and_refuses_a_stale_version()
    {
        var store = await OpenAsync();
        var created = await store.Templates.CreateAsync(Template("standard"), Ct);

        var relabelled = await store.Templates.UpdateAsync(created with { Metadata = created.Metadata with { Labels = new Dictionary<string, string> { ["team"] = "web" } } }, Ct);
        Assert.Equal((1L, "2"), (relabelled.Metadata.Generation, relabelled.Metadata.ResourceVersion!));
        var unchanged = await store.Templates.UpdateAsync(relabelled, Ct);
        Assert.Equal("2", unchanged.Metadata.ResourceVersion);
        var bigger = await store.Templates.UpdateAsync(Template("standard", "BUILD_GENERAL1_LARGE") with { Metadata = relabelled.Metadata }, Ct);
        Assert.Equal((2L, "3"), (bigger.Metadata.Generation, bigger.Metadata.ResourceVersion!));
        Assert.Equal(created.Metadata.Uid, bigger.Metadata.Uid);

        var stale = await Assert.ThrowsAsync<StoreConflictException>(() => store.Templates.UpdateAsync(Template("standard") with { Metadata = created.Metadata }, Ct));
        Assert.Contains("'standard'", stale.Message);
        await Assert.ThrowsAsync<StoreConflictException>(() => store.Templates.DeleteAsync("standard", "1", Ct));
        Assert.Equal("BUILD_GENERAL1_LARGE", (string?)(await store.Templates.GetAsync("standard", Ct))!.Spec["build"]!["computeType"]);
    }

    [Fact]
    public async Task Templates_and_specs_of_one_name_are_separate_and_the_spec_list_and_watch_never_show_templates()
    {
        var store = await OpenAsync();
        await store.Templates.CreateAsync(Template("website"), Ct);
        var page = await store.ListAsync(new ListOptions(), Ct);
        Assert.Empty(page.Items);
        await using var watch = new WatchCollector(store, page.Version);

        await store.Templates.CreateAsync(Template("standard"), Ct);
        await store.CreateAsync(Pipeline("website"), Ct);
        await store.Templates.DeleteAsync("standard", null, Ct);
        await store.CreateAsync(Pipeline("zeta"), Ct);

        // Both specs' events, in either order (a polling watch reports one scan's changes by name).
        var seen = new HashSet<string>();
        await watch.WaitForAsync(e => seen.Add(e.Object.Metadata.Name) && seen.SetEquals(["website", "zeta"]));
        Assert.All(watch.Seen, e => Assert.Equal(WatchEventType.Added, e.Type));
        Assert.Equal(["website", "zeta"], watch.Seen.Select(e => e.Object.Metadata.Name).Order());
        Assert.Equal(["website", "zeta"], (await store.ListAsync(new ListOptions(), Ct)).Items.Select(d => d.Metadata.Name).Order());
        Assert.Equal(["website"], (await store.Templates.ListAsync(Ct)).Select(t => t.Metadata.Name));
        Assert.Equal(0, MalformedSkipped(store));
    }
}
