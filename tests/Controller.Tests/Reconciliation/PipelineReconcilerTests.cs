using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.LocalCloud.Faults;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Reconciliation;

/// <summary>
/// The reconciler's outcomes one by one, each called by hand (no workers, no informer) on real parts: a SQLite store
/// and LocalCloud over HTTP. Each asserts what it answers and the status it wrote against its row of <see cref="PipelineOutcome"/>.
/// </summary>
public sealed class PipelineReconcilerTests : IAsyncLifetime
{
    private ControllerHarness _harness = null!;
    private PipelineReconciler _reconciler = null!;

    public async Task InitializeAsync()
    {
        _harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await _harness.StopAsync();
        _reconciler = _harness.NewController().Reconciler;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<PulumiPipeline> StoredAsync(string name) => (await _harness.Store.GetAsync(name, CancellationToken.None))!;

    private async Task<ReconcileResult> ReconcileAsync(string name) => await _reconciler.ReconcileAsync(await StoredAsync(name), CancellationToken.None);

    /// <summary>The stored status is the outcome's row: phase, reason, the three condition flags, observedGeneration.</summary>
    private async Task<PulumiPipeline> AssertOutcomeAsync(string name, PipelineOutcome expected, long observedGeneration)
    {
        var stored = await StoredAsync(name);
        var status = stored.Status!;
        Assert.Equal(expected.Phase, status.Phase);
        Assert.Equal(observedGeneration, status.ObservedGeneration);
        foreach (var (type, value) in new[] { (ConditionTypes.Ready, expected.Ready), (ConditionTypes.Reconciling, expected.Reconciling), (ConditionTypes.Stalled, expected.Stalled) })
        {
            var condition = Condition(stored, type);
            Assert.Equal((value ? ConditionStatus.True : ConditionStatus.False, expected.Reason), (condition.Status, condition.Reason));
        }
        return stored;
    }

    [Fact]
    public async Task A_new_spec_is_applied_whole_and_Converged_and_a_second_reconcile_writes_nothing()
    {
        var created = await _harness.CreateAsync(Named(Sample("website.json"), "fresh"));

        Assert.Equal(ReconcileResult.Done, await ReconcileAsync("fresh"));

        var converged = await AssertOutcomeAsync("fresh", PipelineOutcome.Converged, created.Metadata.Generation);
        Assert.Equal((6, 0, 0, "Succeeded"), (converged.Status!.LastApply!.Creates, converged.Status.LastApply.Updates, converged.Status.LastApply.Deletes, converged.Status.LastApply.Result));
        Assert.All(converged.Status.Resources, r => Assert.Equal(ResourceStates.Synced, r.State));
        Assert.Equal(StatusReasons.NoDrift, Condition(converged, ConditionTypes.Drifted).Reason);

        Assert.Equal(ReconcileResult.Done, await ReconcileAsync("fresh"));
        Assert.Equal(converged.Metadata.ResourceVersion, (await StoredAsync("fresh")).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task An_invalid_spec_is_a_terminal_InvalidSpec_for_its_generation_and_creates_nothing()
    {
        var created = await _harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { Build = d.Spec.Build with { TimeoutMinutes = 1 } } }), "invalid"));

        var error = await Assert.ThrowsAsync<TerminalReconcileException>(() => ReconcileAsync("invalid"));

        Assert.Equal(StatusReasons.InvalidSpec, error.Reason);
        var stalled = await AssertOutcomeAsync("invalid", PipelineOutcome.InvalidSpec, created.Metadata.Generation);
        Assert.Contains("timeoutMinutes", Condition(stalled, ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task A_missing_token_parameter_is_MissingTokenParameter_looked_at_again_in_a_minute()
    {
        var created = await _harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { Pulumi = d.Spec.Pulumi with { AccessTokenParameter = "/pulumi/elsewhere" } } }), "tokenless"));

        Assert.Equal(ReconcileResult.Requeue(new PipelineReconcilerOptions().MissingTokenRetry), await ReconcileAsync("tokenless"));

        var stalled = await AssertOutcomeAsync("tokenless", PipelineOutcome.MissingTokenParameter, created.Metadata.Generation);
        Assert.Contains("/pulumi/elsewhere", Condition(stalled, ConditionTypes.Ready).Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task A_resource_someone_else_owns_is_a_ResourceConflict_looked_at_again_after_a_resync_period_and_nothing_is_changed()
    {
        var document = Named(Sample("website.json"), "owned");
        var theirs = Model.Rendering.PipelineRenderer.Render(document).Projects[0].Project with { Tags = [new AwsTag { Key = "team", Value = "other" }] };
        await _harness.Cloud.Clients.CodeBuild.CreateProjectAsync(theirs, CancellationToken.None);
        var created = await _harness.CreateAsync(document);

        Assert.Equal(ReconcileResult.Requeue(_harness.HostOptions.ResyncPeriod), await ReconcileAsync("owned"));

        var stalled = await AssertOutcomeAsync("owned", PipelineOutcome.ResourceConflict, created.Metadata.Generation);
        Assert.Contains(stalled.Status!.Resources, r => r.Name == theirs.Name && r.State == ResourceStates.Conflict);
        Assert.Equal([theirs.Name], _harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task Drift_under_Detect_is_DriftDetected_without_a_change_and_under_Correct_is_Converged_with_the_correction_on_record()
    {
        await _harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { DriftPolicy = DriftPolicies.Detect } }), "watched"));
        await _harness.CreateAsync(Named(Sample("website.json"), "corrected"));
        await ReconcileAsync("watched");
        await ReconcileAsync("corrected");
        _harness.Cloud.Server.State.ChangeProject("watched-preview", p => p["timeoutInMinutes"] = 15);
        _harness.Cloud.Server.State.ChangeProject("corrected-preview", p => p["timeoutInMinutes"] = 15);

        Assert.Equal(ReconcileResult.Done, await ReconcileAsync("watched"));
        Assert.Equal(ReconcileResult.Done, await ReconcileAsync("corrected"));

        var detected = await AssertOutcomeAsync("watched", PipelineOutcome.DriftDetected, 1);
        Assert.Equal((ConditionStatus.True, StatusReasons.DriftDetected), (Condition(detected, ConditionTypes.Drifted).Status, Condition(detected, ConditionTypes.Drifted).Reason));
        Assert.Equal(15, (int)_harness.Cloud.Server.State.GetProject("watched-preview")!["timeoutInMinutes"]!);
        var corrected = await AssertOutcomeAsync("corrected", PipelineOutcome.Converged, 1);
        Assert.Equal((ConditionStatus.False, StatusReasons.DriftCorrected), (Condition(corrected, ConditionTypes.Drifted).Status, Condition(corrected, ConditionTypes.Drifted).Reason));
        Assert.Equal(1, corrected.Status!.LastApply!.Updates);
        Assert.NotEqual(15, (int)_harness.Cloud.Server.State.GetProject("corrected-preview")!["timeoutInMinutes"]!);
    }

    [Fact]
    public async Task A_failed_apply_is_ApplyFailed_keeps_the_last_observed_generation_and_throws_to_be_retried()
    {
        _harness.Cloud.Server.SetFaults(new FaultSettings([new FaultRule("CodeBuild.CreateWebhook", ErrorRatio: 1)]));
        await _harness.CreateAsync(Named(Sample("website.json"), "failing"));

        await Assert.ThrowsAsync<ConvergeFailedException>(() => ReconcileAsync("failing"));

        var failed = await AssertOutcomeAsync("failing", PipelineOutcome.ApplyFailed, 0);
        Assert.Equal(("Failed", 3), (failed.Status!.LastApply!.Result, failed.Status.LastApply.Creates));
        Assert.Equal(3, failed.Status.Resources.Count(r => r.State == ResourceStates.Failed));
    }

    [Fact]
    public async Task Finalize_deletes_every_resource_and_lets_the_document_go()
    {
        await _harness.CreateAsync(Named(Sample("website.json"), "leaving"));
        await ReconcileAsync("leaving");
        Assert.Equal(3, _harness.Cloud.Server.State.ProjectNames.Count);

        Assert.Equal(ReconcileResult.Done, await _reconciler.FinalizeAsync(await StoredAsync("leaving"), CancellationToken.None));

        Assert.Empty(_harness.Cloud.Server.State.ProjectNames);
    }
}
