using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>
/// A new process trusts what a spec's status recorded of its pipeline (version and update time, for the declaration's
/// digest) while ListPipelines shows it unchanged, and reads the pipeline again when anything of that moved.
/// </summary>
public sealed class PipelineRestartTests
{
    private static async Task<(ControllerHarness Harness, ResourceStatus Pipeline)> ConvergedAsync(string name, string driftPolicy)
    {
        var harness = await StartAsync(StoreKind.Sqlite);
        await harness.CreateAsync(Named(Sample("payments-pipeline.json", d => d with { Spec = d.Spec with { DriftPolicy = driftPolicy } }), name));
        var ready = await harness.WaitForReadyAsync(name);
        return (harness, ready.Status!.Resources.Single(r => r.Kind == "CodePipeline"));
    }

    private static async Task RestartAndResyncAsync(ControllerHarness harness)
    {
        await harness.WaitForIdleAsync();
        harness.Cloud.Server.Counters.Reset();
        await harness.RestartAsync();
        harness.Controller.ResyncNow();
        await harness.WaitForIdleAsync();
    }

    // Converged, then the controller stops, the pipeline's role is changed by hand, and a new controller starts.
    private static async Task<(ControllerHarness Harness, ResourceStatus Pipeline)> EditedWhileDownAsync(string name, string driftPolicy)
    {
        var (harness, pipeline) = await ConvergedAsync(name, driftPolicy);
        await harness.StopAsync();
        harness.Cloud.Server.State.ChangePipeline(pipeline.Name, p => p["roleArn"] = "arn:aws:iam::111122223333:role/by-hand");
        await RestartAndResyncAsync(harness);
        return (harness, pipeline);
    }

    private static long Calls(ControllerHarness harness, string operation) => harness.Cloud.Server.Counters[operation].Requests;

    [Fact]
    public async Task The_status_records_the_version_and_update_time_of_the_pipeline_it_created_and_nothing_of_projects()
    {
        var (harness, pipeline) = await ConvergedAsync("stamp", DriftPolicies.Detect);
        await using var owner = harness;

        var live = await harness.Cloud.Clients.CodePipeline.GetPipelineAsync(pipeline.Name, CancellationToken.None);
        var observed = Assert.IsType<ObservedPipeline>(pipeline.Observed);
        Assert.Equal(live.Pipeline.Version, observed.Version);
        Assert.Equal(live.Metadata!.Updated, observed.Updated);
        Assert.NotEmpty(observed.Digest);
        var stored = await harness.Store.GetAsync("stamp", CancellationToken.None);
        Assert.All(stored!.Status!.Resources.Where(r => r.Kind != "CodePipeline"), r => Assert.Null(r.Observed));
    }

    [Fact]
    public async Task A_restarted_controller_reads_no_pipeline_that_ListPipelines_shows_unchanged_and_writes_nothing()
    {
        var (harness, _) = await ConvergedAsync("calm", DriftPolicies.Detect);
        await using var owner = harness;
        var versions = await harness.ResourceVersionsAsync();

        await RestartAndResyncAsync(harness);

        Assert.True(Calls(harness, "CodePipeline.ListPipelines") >= 1, "the new process took no ListPipelines snapshot");
        Assert.Equal(0, Calls(harness, "CodePipeline.GetPipeline"));
        Assert.Equal(0, Calls(harness, "CodePipeline.ListTagsForResource"));
        Assert.Equal(versions, await harness.ResourceVersionsAsync());
    }

    [Fact]
    public async Task A_pipeline_changed_by_hand_while_the_controller_was_down_is_read_and_its_drift_reported()
    {
        var (harness, pipeline) = await EditedWhileDownAsync("edited", DriftPolicies.Detect);
        await using var owner = harness;
        var drifted = await harness.WaitForAsync("edited", d => Conditions.IsTrue(d.Status!.Conditions, ConditionTypes.Drifted), "drifted");

        Assert.True(Calls(harness, "CodePipeline.GetPipeline") >= 1, "the changed pipeline was never read");
        Assert.Contains($"CodePipeline/{pipeline.Name}: roleArn", Condition(drifted, ConditionTypes.Drifted).Message, StringComparison.Ordinal);
        var recorded = drifted.Status!.Resources.Single(r => r.Kind == "CodePipeline");
        Assert.Equal(ResourceStates.Drifted, recorded.State);
        Assert.Null(recorded.Observed);
        Assert.Equal("arn:aws:iam::111122223333:role/by-hand", (string)harness.Cloud.Server.State.GetPipeline(pipeline.Name)!.Declaration["roleArn"]!);
    }

    [Fact]
    public async Task A_corrected_pipeline_is_recorded_at_its_new_version_and_a_later_restart_reads_it_no_more()
    {
        var (harness, pipeline) = await EditedWhileDownAsync("fixed", DriftPolicies.Correct);
        await using var owner = harness;
        var corrected = await harness.WaitForAsync("fixed", d => Condition(d, ConditionTypes.Drifted).Reason == StatusReasons.DriftCorrected, "corrected");

        var live = harness.Cloud.Server.State.GetPipeline(pipeline.Name)!;
        Assert.Equal("arn:aws:iam::111122223333:role/pulumi-codepipeline", (string)live.Declaration["roleArn"]!);
        var observed = Assert.IsType<ObservedPipeline>(corrected.Status!.Resources.Single(r => r.Kind == "CodePipeline").Observed);
        Assert.Equal(live.Version, observed.Version);
        Assert.Equal(pipeline.Observed!.Version + 2, observed.Version);

        await RestartAndResyncAsync(harness);
        Assert.Equal(0, Calls(harness, "CodePipeline.GetPipeline"));
    }

    [Fact]
    public async Task A_spec_changed_while_the_controller_was_down_no_longer_matches_the_recorded_digest_and_its_pipeline_is_updated()
    {
        var (harness, pipeline) = await ConvergedAsync("moved", DriftPolicies.Detect);
        await using var owner = harness;
        await harness.StopAsync();
        const string role = "arn:aws:iam::111122223333:role/pipeline-v2";
        var changed = await harness.UpdateAsync("moved", d => d with { Spec = d.Spec with { Pipeline = d.Spec.Pipeline! with { RoleArn = role } } });

        await RestartAndResyncAsync(harness);
        var ready = await harness.WaitForReadyAsync("moved", changed.Metadata.Generation);

        Assert.Equal(role, (string)harness.Cloud.Server.State.GetPipeline(pipeline.Name)!.Declaration["roleArn"]!);
        Assert.Equal(1, Calls(harness, "CodePipeline.UpdatePipeline"));
        Assert.NotEqual(pipeline.Observed!.Digest, ready.Status!.Resources.Single(r => r.Kind == "CodePipeline").Observed!.Digest);
    }
}
