using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>Create, change, drift, conflict and delete, end to end, against one store kind.</summary>
public abstract class PipelineLifecycleTests(StoreKind kind, DynaliteServer? dynalite)
{
    private Task<ControllerHarness> StartAsync() => ControllerHarness.StartAsync(kind, dynalite);

    [Fact]
    public async Task A_new_spec_becomes_Ready_with_its_projects_webhooks_and_ownership_tags()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json"), "shop"));

        var ready = await harness.WaitForReadyAsync("shop");

        var cloud = harness.Cloud.Server.State;
        Assert.Equal(["shop-preview", "shop-production", "shop-staging"], cloud.ProjectNames.Order(StringComparer.Ordinal));
        Assert.Equal(StatusPhases.Ready, ready.Status!.Phase);
        Assert.Equal(StatusReasons.Converged, Condition(ready, ConditionTypes.Ready).Reason);
        Assert.Equal(ConditionStatus.False, Condition(ready, ConditionTypes.Stalled).Status);
        Assert.Equal(ConditionStatus.False, Condition(ready, ConditionTypes.Reconciling).Status);
        Assert.Equal(
            [
                "CodeBuildProject/shop-preview", "CodeBuildWebhook/shop-preview",
                "CodeBuildProject/shop-staging", "CodeBuildWebhook/shop-staging",
                "CodeBuildProject/shop-production", "CodeBuildWebhook/shop-production",
            ],
            ready.Status.Resources.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.All(ready.Status.Resources, r => Assert.Equal(ResourceStates.Synced, r.State));
        Assert.Equal(harness.Cloud.Server.Arns.Project("shop-staging"), ready.Status.Resources.Single(r => r.Kind == "CodeBuildProject" && r.Name == "shop-staging").Arn);
        Assert.Equal(new ApplyRecord { Engine = "direct", Result = "Succeeded", Creates = 6 },
            ready.Status.LastApply! with { DurationSeconds = 0, FinishedAt = null });

        var tags = cloud.GetProject("shop-staging")!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal(OwnershipTags.ManagedByValue, tags[OwnershipTags.ManagedBy]);
        Assert.Equal("shop", tags[OwnershipTags.Spec]);
        Assert.Equal(ready.Metadata.Uid, tags[OwnershipTags.Uid]);
        Assert.NotNull(cloud.GetProject("shop-staging")!["webhook"]);
    }

    [Fact]
    public async Task A_spec_with_a_pipeline_creates_it_with_tags_and_records_its_arn()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("payments-pipeline.json"), "pay"));

        var ready = await harness.WaitForReadyAsync("pay");

        var pipeline = Assert.Single(ready.Status!.Resources, r => r.Kind == "CodePipeline");
        Assert.Equal(harness.Cloud.Server.Arns.Pipeline(pipeline.Name), pipeline.Arn);
        Assert.NotNull(harness.Cloud.Server.State.GetPipeline(pipeline.Name));
        // Push and tag stages run inside the pipeline: only the pull-request stage keeps a webhook.
        Assert.Equal(["CodeBuildWebhook/pay-preview"], ready.Status.Resources.Where(r => r.Kind == "CodeBuildWebhook").Select(r => $"{r.Kind}/{r.Name}"));
    }

    [Fact]
    public async Task A_spec_change_updates_only_the_project_whose_fields_changed()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json"), "blog"));
        await harness.WaitForReadyAsync("blog");
        harness.Cloud.Server.Counters.Reset();

        var changed = await harness.UpdateAsync("blog", d => d with
        {
            Spec = d.Spec with { Stages = d.Spec.Stages.Select(s => s.Name == "staging" ? s with { Stack = "acme/website/qa" } : s).ToList() },
        });
        var ready = await harness.WaitForReadyAsync("blog", changed.Metadata.Generation);

        var counters = harness.Cloud.Server.Counters;
        Assert.Equal(1, counters["CodeBuild.UpdateProject"].Succeeded);
        Assert.Equal(0, counters["CodeBuild.CreateProject"].Requests);
        Assert.Equal(0, counters["CodeBuild.UpdateWebhook"].Requests);
        Assert.Equal(0, counters["CodeBuild.DeleteProject"].Requests);
        Assert.Contains("acme/website/qa", (string)harness.Cloud.Server.State.GetProject("blog-staging")!["source"]!["buildspec"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("acme/website/qa", (string)harness.Cloud.Server.State.GetProject("blog-production")!["source"]!["buildspec"]!, StringComparison.Ordinal);
        Assert.Equal(new ApplyRecord { Engine = "direct", Result = "Succeeded", Updates = 1 }, ready.Status!.LastApply! with { DurationSeconds = 0, FinishedAt = null });
    }

    [Fact]
    public async Task A_removed_stage_deletes_its_project_and_leaves_the_inventory()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json"), "docs"));
        await harness.WaitForReadyAsync("docs");

        var changed = await harness.UpdateAsync("docs", d => d with
        {
            Spec = d.Spec with { Stages = d.Spec.Stages.Where(s => s.Name != "production").ToList() },
        });
        var ready = await harness.WaitForReadyAsync("docs", changed.Metadata.Generation);

        Assert.Equal(["docs-preview", "docs-staging"], harness.Cloud.Server.State.ProjectNames.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ready.Status!.Resources, r => r.Name == "docs-production");
        Assert.Equal(1, ready.Status.LastApply!.Deletes);
    }

    [Fact]
    public async Task An_out_of_band_change_is_detected_and_corrected_under_driftPolicy_Correct()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json"), "web"));
        var before = await harness.WaitForReadyAsync("web");

        harness.Cloud.Server.State.ChangeProject("web-staging", p => p["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        harness.Controller.ResyncNow();
        var corrected = await harness.WaitForAsync("web", d => Condition(d, ConditionTypes.Drifted).Reason == StatusReasons.DriftCorrected, "drift-corrected");

        Assert.Equal("BUILD_GENERAL1_SMALL", (string)harness.Cloud.Server.State.GetProject("web-staging")!["environment"]!["computeType"]!);
        var drifted = Condition(corrected, ConditionTypes.Drifted);
        Assert.Equal(ConditionStatus.False, drifted.Status);
        Assert.Contains("CodeBuildProject/web-staging: environment.computeType", drifted.Message, StringComparison.Ordinal);
        Assert.True(IsReady(corrected));
        Assert.Equal(before.Metadata.Generation, corrected.Status!.ObservedGeneration);
        Assert.Equal(1, corrected.Status.LastApply!.Updates);
    }

    [Fact]
    public async Task Under_Detect_a_label_change_and_a_reconcile_request_never_overwrite_a_hand_edit()
    {
        await using var harness = await StartAsync();
        var created = await harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { DriftPolicy = DriftPolicies.Detect } }), "notes"));
        await harness.WaitForReadyAsync("notes");
        harness.Cloud.Server.Counters.Reset();
        harness.Cloud.Server.State.ChangeProject("notes-preview", p => p["timeoutInMinutes"] = 15);

        var relabelled = await harness.UpdateAsync("notes", d => d with
        {
            Metadata = d.Metadata with
            {
                Labels = new Dictionary<string, string> { ["team"] = "docs" },
                Annotations = new Dictionary<string, string> { [RuntimeAnnotations.ReconcileRequest] = "now" },
            },
        });
        var detected = await harness.WaitForAsync("notes", d => Conditions.IsTrue(d.Status!.Conditions, ConditionTypes.Drifted), "drifted");

        Assert.Equal(created.Metadata.Generation, relabelled.Metadata.Generation);
        Assert.Equal(StatusPhases.Drifted, detected.Status!.Phase);
        await harness.WaitForIdleAsync();
        Assert.Equal(15, (int)harness.Cloud.Server.State.GetProject("notes-preview")!["timeoutInMinutes"]!);
        Assert.Equal(0, harness.Cloud.Server.Counters["CodeBuild.UpdateProject"].Requests);
    }

    [Fact]
    public async Task An_out_of_band_change_is_only_reported_under_driftPolicy_Detect()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { DriftPolicy = DriftPolicies.Detect } }), "wiki"));
        await harness.WaitForReadyAsync("wiki");
        harness.Cloud.Server.Counters.Reset();

        harness.Cloud.Server.State.ChangeProject("wiki-preview", p => p["timeoutInMinutes"] = 15);
        harness.Controller.ResyncNow();
        var detected = await harness.WaitForAsync("wiki", d => Conditions.IsTrue(d.Status!.Conditions, ConditionTypes.Drifted), "drifted");

        Assert.Equal(StatusPhases.Drifted, detected.Status!.Phase);
        Assert.Contains("CodeBuildProject/wiki-preview: timeoutInMinutes", Condition(detected, ConditionTypes.Drifted).Message, StringComparison.Ordinal);
        Assert.Equal(StatusReasons.DriftDetected, Condition(detected, ConditionTypes.Ready).Reason);
        Assert.Equal(ResourceStates.Drifted, detected.Status.Resources.Single(r => r.Kind == "CodeBuildProject" && r.Name == "wiki-preview").State);
        await harness.WaitForIdleAsync();
        Assert.Equal(15, (int)harness.Cloud.Server.State.GetProject("wiki-preview")!["timeoutInMinutes"]!);
        Assert.Equal(0, harness.Cloud.Server.Counters["CodeBuild.UpdateProject"].Requests);
    }

    [Fact]
    public async Task A_resource_we_do_not_own_is_left_untouched_and_the_spec_is_Stalled_until_adoption_is_asked()
    {
        await using var harness = await StartAsync();
        var document = Named(Sample("website.json"), "store");
        var foreign = Model.Rendering.PipelineRenderer.Render(document).Projects.Single(p => p.Stage == "staging").Project with
        {
            Tags = [new AwsTag { Key = "team", Value = "someone-else" }],
        };
        await harness.Cloud.Clients.CodeBuild.CreateProjectAsync(foreign, CancellationToken.None);
        var untouched = harness.Cloud.Server.State.GetProject("store-staging")!.ToJsonString();

        await harness.CreateAsync(document);
        var stalled = await harness.WaitForAsync("store", d => Conditions.IsTrue(d.Status?.Conditions ?? [], ConditionTypes.Stalled), "Stalled");

        Assert.Equal(StatusReasons.ResourceConflict, Condition(stalled, ConditionTypes.Stalled).Reason);
        Assert.Contains("CodeBuildProject/store-staging", Condition(stalled, ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Conflict, stalled.Status!.Resources.Single(r => r.Kind == "CodeBuildProject" && r.Name == "store-staging").State);
        Assert.Equal(untouched, harness.Cloud.Server.State.GetProject("store-staging")!.ToJsonString());
        Assert.Equal(["store-staging"], harness.Cloud.Server.State.ProjectNames);

        var adopting = await harness.UpdateAsync("store", d => d with
        {
            Metadata = d.Metadata with { Annotations = new Dictionary<string, string> { [Model.Planning.OwnershipIdentity.AdoptAnnotation] = "true" } },
        });
        var adopted = await harness.WaitForReadyAsync("store", adopting.Metadata.Generation);

        var tags = harness.Cloud.Server.State.GetProject("store-staging")!["tags"]!.AsArray().Select(t => (string)t!["key"]!).ToList();
        Assert.Contains(OwnershipTags.Uid, tags);
        Assert.DoesNotContain("team", tags);
        Assert.Equal(3, adopted.Status!.Resources.Count(r => r.Kind == "CodeBuildProject"));
    }

    [Fact]
    public async Task Deleting_a_spec_under_deletionPolicy_Delete_deletes_its_resources_before_it_goes()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("payments-pipeline.json", d => d with { Spec = d.Spec with { DeletionPolicy = DeletionPolicies.Delete } }), "gone"));
        await harness.WaitForReadyAsync("gone");
        Assert.NotEmpty(harness.Cloud.Server.State.PipelineNames);

        var current = await harness.Store.GetAsync("gone", CancellationToken.None);
        await harness.Store.DeleteAsync("gone", current!.Metadata.ResourceVersion, CancellationToken.None);
        await harness.WaitForGoneAsync("gone");

        Assert.Empty(harness.Cloud.Server.State.ProjectNames);
        Assert.Empty(harness.Cloud.Server.State.PipelineNames);
    }

    [Fact]
    public async Task Deleting_a_spec_under_deletionPolicy_Retain_keeps_its_resources_and_releases_them()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("payments-pipeline.json"), "kept"));
        var ready = await harness.WaitForReadyAsync("kept");
        var pipeline = ready.Status!.Resources.Single(r => r.Kind == "CodePipeline").Name;

        await harness.Store.DeleteAsync("kept", ready.Metadata.ResourceVersion, CancellationToken.None);
        await harness.WaitForGoneAsync("kept");

        var cloud = harness.Cloud.Server.State;
        Assert.Equal(["kept-preview", "kept-production", "kept-staging"], cloud.ProjectNames.Order(StringComparer.Ordinal));
        Assert.Equal([pipeline], cloud.PipelineNames);
        foreach (var project in cloud.ProjectNames)
        {
            var keys = cloud.GetProject(project)!["tags"]!.AsArray().Select(t => (string)t!["key"]!).ToList();
            Assert.DoesNotContain(keys, k => k.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal));
            Assert.Contains("cost-center", keys);
        }
        var pipelineTags = await harness.Cloud.Clients.CodePipeline.ListTagsForResourceAsync(harness.Cloud.Server.Arns.Pipeline(pipeline), CancellationToken.None);
        Assert.DoesNotContain(pipelineTags, t => t.Key.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reconcile_whose_spec_changed_before_it_recorded_its_intent_applies_nothing_and_the_next_converges()
    {
        await using var harness = await StartAsync();
        await harness.StopAsync();
        await using var controller = harness.NewController();
        var read = await harness.CreateAsync(Named(Sample("website.json"), "racing"));
        // A stage goes after the reconcile read the document and before it recorded what it would apply: had it
        // applied, racing-production would exist with no status entry to say whose it is.
        var changed = await harness.UpdateAsync("racing", d => d with { Spec = d.Spec with { Stages = [.. d.Spec.Stages.Where(s => s.Name != "production")] } });

        var stale = await controller.Reconciler.ReconcileAsync(read, CancellationToken.None);

        Assert.Equal(ReconcileResult.Done, stale);
        Assert.Empty(harness.Cloud.Server.State.ProjectNames);

        await controller.Reconciler.ReconcileAsync(changed, CancellationToken.None);

        Assert.Equal(["racing-preview", "racing-staging"], harness.Cloud.Server.State.ProjectNames.Order(StringComparer.Ordinal));
        Assert.True(IsReady((await harness.Store.GetAsync("racing", CancellationToken.None))!));
    }

    [Fact]
    public async Task A_reconcile_of_a_document_deleted_before_it_recorded_its_intent_creates_nothing()
    {
        await using var harness = await StartAsync();
        await harness.StopAsync();
        await using var controller = harness.NewController();
        var read = await harness.CreateAsync(Named(Sample("website.json"), "fleeting"));
        await harness.Store.DeleteAsync("fleeting", read.Metadata.ResourceVersion, CancellationToken.None);
        Assert.Null(await harness.Store.GetAsync("fleeting", CancellationToken.None));

        await controller.Reconciler.ReconcileAsync(read, CancellationToken.None);

        Assert.Empty(harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task A_steady_state_resync_makes_no_store_write_and_changes_nothing_in_the_cloud()
    {
        // One worker: the two specs are read one after the other, so the count of batched reads does not hang on
        // whether their reconciles happened to meet in one batch window.
        await using var harness = await ControllerHarness.StartAsync(kind, dynalite, options: new PipelineControllerOptions
        {
            Workers = 1,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        });
        await harness.CreateAsync(Named(Sample("website.json"), "calm"));
        await harness.CreateAsync(Named(Sample("payments-pipeline.json"), "still"));
        await harness.WaitForReadyAsync("calm");
        await harness.WaitForReadyAsync("still");
        // One resync settles what the first apply could not know (nothing, if the status was exact).
        harness.Controller.ResyncNow();
        await harness.WaitForIdleAsync();
        var versions = await harness.ResourceVersionsAsync();
        harness.Cloud.Server.Counters.Reset();

        Assert.Equal(2, harness.Controller.ResyncNow());
        await harness.WaitForIdleAsync();
        harness.Controller.ResyncNow();
        await harness.WaitForIdleAsync();

        Assert.Equal(versions, await harness.ResourceVersionsAsync());
        var calls = harness.Cloud.Server.Counters.Snapshot();
        Assert.All(calls.Keys, operation => Assert.True(
            operation is "CodeBuild.BatchGetProjects" or "CodePipeline.ListPipelines",
            $"steady state called {operation}"));
        // Batched: one BatchGetProjects per spec per resync, however many projects each spec has (a spec's names
        // always leave in one batch).
        Assert.Equal(2 * 2, calls["CodeBuild.BatchGetProjects"].Requests);
        // Each resync looks at the pipelines afresh: one ListPipelines snapshot each.
        Assert.Equal(2, calls["CodePipeline.ListPipelines"].Requests);
    }

    [Fact]
    public async Task A_spec_whose_token_parameter_is_missing_is_Stalled_and_touches_nothing()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { Pulumi = d.Spec.Pulumi with { AccessTokenParameter = "/pulumi/nowhere" } } }), "notoken"));

        var stalled = await harness.WaitForAsync("notoken", d => Conditions.IsTrue(d.Status?.Conditions ?? [], ConditionTypes.Stalled), "Stalled");

        Assert.Equal(StatusReasons.MissingTokenParameter, Condition(stalled, ConditionTypes.Stalled).Reason);
        Assert.Contains("/pulumi/nowhere", Condition(stalled, ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Empty(harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task An_invalid_stored_spec_is_Stalled_with_the_validators_message_and_nothing_is_created()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { Build = d.Spec.Build with { TimeoutMinutes = 1 } } }), "broken"));

        var stalled = await harness.WaitForAsync("broken", d => Conditions.IsTrue(d.Status?.Conditions ?? [], ConditionTypes.Stalled), "Stalled");

        var condition = Condition(stalled, ConditionTypes.Stalled);
        Assert.Equal(StatusReasons.InvalidSpec, condition.Reason);
        Assert.Contains("timeoutMinutes", condition.Message, StringComparison.Ordinal);
        Assert.Equal(stalled.Metadata.Generation, stalled.Status!.ObservedGeneration);
        Assert.Empty(harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task Adoption_never_takes_a_project_another_spec_owns()
    {
        await using var harness = await StartAsync();
        // Stored directly (apply would refuse the second): web + prod-deploy and web-prod + deploy meet at web-prod-deploy.
        var web = await harness.CreateAsync(Named(Sample("website.json", d => d with
        {
            Spec = d.Spec with { Stages = [d.Spec.Stages[1] with { Name = "prod-deploy" }] },
        }), "web"));
        await harness.WaitForReadyAsync("web");
        await harness.CreateAsync(Named(Sample("website.json", d => d with
        {
            Metadata = d.Metadata with { Annotations = new Dictionary<string, string> { [OwnershipIdentity.AdoptAnnotation] = "true" } },
            Spec = d.Spec with { Stages = [d.Spec.Stages[1] with { Name = "deploy", Stack = "acme/website/other" }] },
        }), "web-prod"));

        var stalled = await harness.WaitForAsync("web-prod", d => Conditions.IsTrue(d.Status?.Conditions ?? [], ConditionTypes.Stalled), "Stalled");

        Assert.Equal(StatusReasons.ResourceConflict, Condition(stalled, ConditionTypes.Stalled).Reason);
        Assert.Contains("owner: spec web (uid", Condition(stalled, ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        var tags = harness.Cloud.Server.State.GetProject("web-prod-deploy")!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal(("web", web.Metadata.Uid), (tags[OwnershipTags.Spec], tags[OwnershipTags.Uid]));
        Assert.Contains("stage prod-deploy of web ", (string?)harness.Cloud.Server.State.GetProject("web-prod-deploy")!["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_that_would_take_the_document_over_400_KB_stalls_the_spec_and_nothing_is_applied()
    {
        await using var harness = await StartAsync();
        PulumiPipeline WithNotes(int length) => Named(Sample("website.json", d => d with
        {
            Spec = d.Spec with { Build = d.Spec.Build with { Environment = [new EnvironmentVariableSpec { Name = "RELEASE_NOTES", Value = new string('n', length) }] } },
        }), "bulky");
        // The spec alone fits, 1,200 bytes under the limit, and so does a Stalled status; the status recording the
        // intent to create six resources does not.
        var target = Reconciler.Model.Validation.SpecValidator.MaxDocumentBytes - 1200;
        var spec = WithNotes(target - StoredDocumentJson.Size(WithNotes(0)));
        Assert.Equal(target, StoredDocumentJson.Size(spec));
        await harness.CreateAsync(spec);

        var stalled = await harness.WaitForAsync("bulky", d => Conditions.IsTrue(d.Status?.Conditions ?? [], ConditionTypes.Stalled), "Stalled");

        var condition = Condition(stalled, ConditionTypes.Stalled);
        Assert.Equal(StatusReasons.StatusTooLarge, condition.Reason);
        Assert.Contains("400 KB", condition.Message, StringComparison.Ordinal);
        Assert.Equal(StatusPhases.Stalled, stalled.Status!.Phase);
        Assert.Empty(harness.Cloud.Server.State.ProjectNames);
        Assert.False(harness.Cloud.Server.Counters.Snapshot().ContainsKey("CodeBuild.CreateProject"));
    }
}

public sealed class SqlitePipelineLifecycleTests() : PipelineLifecycleTests(StoreKind.Sqlite, null);

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbPipelineLifecycleTests(DynaliteServer dynalite) : PipelineLifecycleTests(StoreKind.DynamoDb, dynalite);
