using Reconciler.Controller.Reconciliation;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Reconciliation;

/// <summary>The status view every command formats from: phase, readiness, progress line and last apply.</summary>
public sealed class SpecStatusViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static PulumiPipeline WithStatus(long generation, PipelineStatus? status, DateTimeOffset? deleting = null)
    {
        var document = Sample("website.json");
        return document with { Metadata = document.Metadata with { Generation = generation, DeletionTimestamp = deleting }, Status = status };
    }

    private static PipelineStatus Ready(long observed) => new()
    {
        ObservedGeneration = observed,
        Phase = StatusPhases.Ready,
        Conditions = [new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = StatusReasons.Converged, Message = "6 resources in sync" }],
        Resources = [new ResourceStatus { Kind = "CodeBuildProject", Name = "website-preview", State = "Synced" }],
        LastApply = new ApplyRecord { Engine = "direct", Result = "Succeeded", Creates = 6, DurationSeconds = 0.4567, FinishedAt = Now },
    };

    [Fact]
    public void A_spec_without_status_is_Pending_with_readiness_unknown_and_nothing_applied()
    {
        var view = SpecStatusView.Of(WithStatus(1, null));

        Assert.Equal((SpecStatusView.Pending, ConditionStatus.Unknown, (long?)null), (view.Phase, view.Ready, view.ObservedGeneration));
        Assert.Equal(SpecStatusView.Pending, view.Progress);
        Assert.False(view.IsReady);
        Assert.Empty(view.Resources);
        Assert.Null(view.LastApplySummary);
    }

    [Fact]
    public void Ready_counts_as_converged_only_for_the_generation_the_document_is_at()
    {
        var current = SpecStatusView.Of(WithStatus(2, Ready(2)));
        var behind = SpecStatusView.Of(WithStatus(3, Ready(2)));

        Assert.True(current.IsConverged);
        Assert.True(behind.IsReady);
        Assert.False(behind.IsConverged);
        Assert.Equal("Ready        Converged: 6 resources in sync", current.Progress);
        Assert.Equal("direct Succeeded: 6 created, 0 updated, 0 deleted in 0.457s", current.LastApplySummary);
    }

    [Fact]
    public void A_spec_being_deleted_shows_Deleting_whatever_its_status_says()
    {
        var view = SpecStatusView.Of(WithStatus(2, Ready(2), deleting: Now));

        Assert.Equal(SpecStatusView.Deleting, view.Phase);
        Assert.Equal(ConditionStatus.True, view.Ready);
    }
}
