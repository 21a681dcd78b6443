using Reconciler.Controller.Sync;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>The sync applies, owns and prunes PulumiPipelineTemplates as it does specs, templates first, and never prunes one still in use.</summary>
public sealed class SyncTemplateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static string Sample(string file) => File.ReadAllText(RepositoryPaths.Combine("samples", "templates", file));

    private static string Template(string image = "aws/codebuild/standard:7.0") => Sample("standard-service.json").Replace("aws/codebuild/standard:7.0", image, StringComparison.Ordinal);

    private static string Orders(string name = "orders") => Sample("orders.json").Replace("\"name\": \"orders\"", $"\"name\": \"{name}\"", StringComparison.Ordinal);

    // The template, one spec that uses it and two that do not (so pruning one spec stays under the guardrail).
    private static string CommitPattern(SyncHarness h, string templateFile)
    {
        h.Repo.Write(templateFile, Template());
        h.Repo.Write("specs/orders.json", Orders());
        h.Repo.Write("specs/alpha.json", SyncDocuments.Json("alpha"));
        h.Repo.Write("specs/bravo.json", SyncDocuments.Json("bravo"));
        return h.Repo.Commit("template and specs");
    }

    [Fact]
    public async Task A_template_is_created_with_its_specs_updated_in_place_recorded_in_the_inventory_and_pruned_after_its_specs()
    {
        await using var h = await SyncHarness.StartAsync();
        var first = CommitPattern(h, "specs/templates/standard-service.json");

        var created = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, created.Outcome);
        Assert.Equal(["standard-service"], created.Plan!.Templates.Where(t => t.Action == SyncAction.Create).Select(t => t.Name));
        var template = await h.Store.Templates.GetAsync("standard-service", None);
        Assert.NotNull(template);
        Assert.Equal(h.Source().Id, template.Metadata.Annotations![SyncAnnotations.Source]);
        Assert.Equal("templates/standard-service.json", template.Metadata.Annotations[SyncAnnotations.File]);
        Assert.Equal(first, template.Metadata.Annotations[SyncAnnotations.Revision]);
        Assert.Equal("standard-service", (await h.Store.GetAsync("orders", None))!.Spec.Template);
        var status = await h.StatusAsync();
        Assert.Contains(new SyncInventoryEntry("standard-service", "templates/standard-service.json", PulumiPipelineTemplate.KindName), status!.Inventory);
        Assert.Contains(new SyncInventoryEntry("orders", "orders.json"), status.Inventory);
        Assert.Equal(4, status.History[0].Created);

        h.Repo.Write("specs/templates/standard-service.json", Template("aws/codebuild/standard:8.0"));
        h.Repo.Commit("new build image");

        var updated = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, updated.Outcome);
        var change = Assert.Single(updated.Plan!.Templates);
        Assert.Equal(SyncAction.Update, change.Action);
        Assert.Contains(change.Deltas, d => d.Path == "$.spec.build.image" && d.New == "\"aws/codebuild/standard:8.0\"");
        Assert.All(updated.Plan.Changes, c => Assert.Equal(SyncAction.Unchanged, c.Action));
        // The reports (text and the pull-request Markdown) list the template's change, not only the specs'.
        var report = Reconciler.Controller.Cli.SyncReport.Text(h.Source(), updated, dryRun: true, []);
        Assert.Contains("~ pulumipipelinetemplate/standard-service configured (dry run)  (templates/standard-service.json)", report);
        Assert.Contains("    $.spec.build.image: \"aws/codebuild/standard:7.0\" → \"aws/codebuild/standard:8.0\"", report);
        Assert.Contains("| template `standard-service` | configured | templates/standard-service.json | 1 |", Reconciler.Controller.Cli.SyncReport.Markdown(h.Source(), updated, []), StringComparison.Ordinal);
        template = await h.Store.Templates.GetAsync("standard-service", None);
        Assert.Equal(2, template!.Metadata.Generation);
        Assert.Equal("aws/codebuild/standard:8.0", (string?)template.Spec["build"]!["image"]);

        // A repeat writes nothing: the per-write annotations alone are no change.
        var repeat = await h.Syncer().SyncAsync(dryRun: false, None);
        Assert.Equal(SyncOutcome.NoChange, repeat.Outcome);
        Assert.Equal(template.Metadata.ResourceVersion, (await h.Store.Templates.GetAsync("standard-service", None))!.Metadata.ResourceVersion);

        // The template and the one spec that uses it leave together: the spec is pruned, then the template.
        h.Repo.Delete("specs/templates/standard-service.json");
        h.Repo.Delete("specs/orders.json");
        h.Repo.Commit("retire the pattern");

        var pruned = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, pruned.Outcome);
        Assert.Equal(["orders", "standard-service"], pruned.Plan!.Changes.Where(c => c.Action == SyncAction.Prune).Select(c => c.Name)
            .Concat(pruned.Plan.Templates.Where(t => t.Action == SyncAction.Prune).Select(t => t.Name)));
        Assert.Null(await h.Store.Templates.GetAsync("standard-service", None));
        Assert.Equal(["alpha", "bravo"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
        Assert.DoesNotContain((await h.StatusAsync())!.Inventory, e => e.Kind == PulumiPipelineTemplate.KindName);
    }

    [Fact]
    public async Task A_template_still_used_by_a_spec_that_stays_is_not_pruned_and_the_error_names_the_spec()
    {
        await using var h = await SyncHarness.StartAsync();
        CommitPattern(h, "specs/standard-service.json");
        Assert.Equal(SyncOutcome.Applied, (await h.Syncer().SyncAsync(dryRun: false, None)).Outcome);
        // A spec applied by hand, outside the repository, uses the synced template.
        var templates = new Dictionary<string, PulumiPipelineTemplate>(StringComparer.Ordinal) { ["standard-service"] = (await h.Store.Templates.GetAsync("standard-service", None))! };
        await h.Store.CreateAsync(SpecValidator.Validate("payments.json", Orders("payments"), templates).Document!, None);
        var before = (await h.StoredAsync()).Select(d => (d.Metadata.Name, d.Metadata.ResourceVersion)).ToList();
        var templateVersion = (await h.Store.Templates.GetAsync("standard-service", None))!.Metadata.ResourceVersion;

        h.Repo.Delete("specs/standard-service.json");
        h.Repo.Delete("specs/orders.json");
        h.Repo.Commit("retire the pattern, but payments still uses it");

        var refused = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.PruneRefused, refused.Outcome);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("standard-service.json: $.metadata.name: template 'standard-service' was removed from the repository but is still used by 1 spec(s): payments; remove or change those specs first; nothing was written", error);
        Assert.Equal(before, (await h.StoredAsync()).Select(d => (d.Metadata.Name, d.Metadata.ResourceVersion)));
        Assert.Equal(templateVersion, (await h.Store.Templates.GetAsync("standard-service", None))!.Metadata.ResourceVersion);
        var status = await h.StatusAsync();
        Assert.True(Conditions.IsTrue(status!.Conditions, ConditionTypes.Stalled));
        Assert.Contains("payments", status.Conditions.Single(c => c.Type == ConditionTypes.Stalled).Message, StringComparison.Ordinal);

        // Removing only the template while a spec of the revision names it is an invalid revision, naming the spec's file.
        h.Repo.Write("specs/orders.json", Orders());
        h.Repo.Commit("orders back, template still gone");
        var invalid = await h.Syncer().SyncAsync(dryRun: false, None);
        Assert.Equal(SyncOutcome.Invalid, invalid.Outcome);
        Assert.Contains(invalid.Errors, e => e.StartsWith("orders.json:", StringComparison.Ordinal) && e.Contains("$.spec.template: no PulumiPipelineTemplate named \"standard-service\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_spec_of_the_revision_may_name_a_template_applied_by_hand_and_a_template_of_the_same_name_is_a_conflict()
    {
        await using var h = await SyncHarness.StartAsync();
        var (_, hand) = SpecValidator.ValidateTemplate("standard-service.json", Template());
        await h.Store.Templates.CreateAsync(hand!, None);
        h.Repo.Write("specs/orders.json", Orders());
        h.Repo.Commit("a spec of a hand-applied template");

        var applied = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, applied.Outcome);
        Assert.Equal("standard-service", (await h.Store.GetAsync("orders", None))!.Spec.Template);

        h.Repo.Write("specs/standard-service.json", Template("aws/codebuild/standard:8.0"));
        h.Repo.Commit("the repository declares the template too");

        var conflict = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Conflict, conflict.Outcome);
        Assert.Equal(["standard-service.json: $.metadata.name: template 'standard-service' exists in the store and is not owned by this source (owner: none); use --adopt to take it over"], conflict.Errors);
        Assert.Equal("aws/codebuild/standard:7.0", (string?)(await h.Store.Templates.GetAsync("standard-service", None))!.Spec["build"]!["image"]);

        var adopted = await h.Syncer(new SyncOptions(h.Source(), Adopt: true)).SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, adopted.Outcome);
        var template = await h.Store.Templates.GetAsync("standard-service", None);
        Assert.Equal("aws/codebuild/standard:8.0", (string?)template!.Spec["build"]!["image"]);
        Assert.Equal(h.Source().Id, template.Metadata.Annotations![SyncAnnotations.Source]);
    }
}
