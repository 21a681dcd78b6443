using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
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
}

public sealed class SqlitePipelineLifecycleTests() : PipelineLifecycleTests(StoreKind.Sqlite, null);

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbPipelineLifecycleTests(DynaliteServer dynalite) : PipelineLifecycleTests(StoreKind.DynamoDb, dynalite);
