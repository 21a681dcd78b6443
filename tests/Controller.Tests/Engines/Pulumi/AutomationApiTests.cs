using System.Collections.Concurrent;
using Reconciler.Controller.Engines.Pulumi.Automation;
using Reconciler.Controller.Observation;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using Reconciler.Model.Rendering.Pulumi;

namespace Reconciler.Controller.Tests.Engines.Pulumi;

/// <summary>
/// Our Automation API driving the stand-in CLI against LocalCloud: stacks, config, up/refresh/destroy with the event
/// stream tailed, typed errors for missing, existing and locked stacks, failures, interruptions and their recovery.
/// What the stand-in applies is then observed by the controller's own reader and planner: in sync means an empty plan.
/// </summary>
public sealed class AutomationApiTests : IAsyncLifetime
{
    private StandInHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StandInHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<(WorkspaceStack Stack, DesiredState Desired, OwnershipIdentity Owner)> StackAsync(
        string name, string sample = "payments-pipeline.json", PulumiProgramOptions? options = null, params (string, string?)[] extra)
    {
        var (document, desired) = StandInHarness.Spec(sample, name);
        var workspace = await _harness.WorkspaceAsync(name, PulumiProgramRenderer.Render(desired, options), extra);
        var stack = await WorkspaceStack.CreateOrSelectAsync(name, workspace, CancellationToken.None);
        await stack.SetConfigAsync("aws:region", "us-east-1", secret: false, CancellationToken.None);
        return (stack, desired, OwnershipIdentity.Of(document));
    }

    private async Task<Plan> PlanAsync(DesiredState desired, OwnershipIdentity owner)
    {
        var reader = new NaiveLiveStateReader(_harness.Cloud.Clients.CodeBuild, _harness.Cloud.Clients.CodePipeline);
        var live = await reader.ObserveAsync(ObservationRequest.For(desired, null, fresh: true), CancellationToken.None);
        return Planner.Plan(desired, live, owner, adopt: false);
    }

    [Fact]
    public async Task Up_creates_every_resource_in_sync_with_the_controller_and_streams_the_events_in_order()
    {
        var (stack, desired, owner) = await StackAsync("pay");
        var events = new ConcurrentQueue<EngineEvent>();

        var result = await stack.UpAsync(new UpOptions { OnEvent = events.Enqueue }, CancellationToken.None);

        Assert.True((await PlanAsync(desired, owner)).IsEmpty);
        var list = events.ToList();
        Assert.Equal(Enumerable.Range(0, list.Count), list.Select(e => e.Sequence));
        Assert.NotNull(list[0].PreludeEvent);
        Assert.Equal("us-east-1", list[0].PreludeEvent!.Config!["aws:region"]);
        Assert.NotNull(list[^1].CancelEvent);
        var summary = list[^2].SummaryEvent!;
        Assert.Equal("succeeded", summary.Result);
        // The stack resource, three projects, the pull-request stage's webhook and the pipeline.
        Assert.Equal(1 + 5, summary.ResourceChanges["create"]);
        var created = list.Where(e => e.ResourceOutputsEvent is not null).Select(e => e.ResourceOutputsEvent!.Metadata).Where(m => m.Type.StartsWith("aws:", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, created.Count);
        Assert.All(created.Where(m => m.Type != PulumiResourceType.CodeBuildWebhook.Token),
            m => Assert.StartsWith("arn:aws:", (string?)m.New!.Outputs!["arn"], StringComparison.Ordinal));
        Assert.Equal("succeeded", result.Summary!.Result);
        Assert.Equal("update", result.Summary.Kind);

        var again = new ConcurrentQueue<EngineEvent>();
        await stack.UpAsync(new UpOptions { OnEvent = again.Enqueue }, CancellationToken.None);
        Assert.Equal(6, again.Single(e => e.SummaryEvent is not null).SummaryEvent!.ResourceChanges["same"]);
    }

    [Fact]
    public async Task A_missing_stack_an_existing_stack_and_a_rejected_flag_are_typed_errors()
    {
        var (_, desired) = StandInHarness.Spec("website.json", "web");
        var workspace = await _harness.WorkspaceAsync("web", PulumiProgramRenderer.Render(desired));

        await Assert.ThrowsAsync<StackNotFoundException>(() => WorkspaceStack.SelectAsync("web", workspace, CancellationToken.None));
        await WorkspaceStack.CreateAsync("web", workspace, CancellationToken.None);
        await Assert.ThrowsAsync<StackAlreadyExistsException>(() => WorkspaceStack.CreateAsync("web", workspace, CancellationToken.None));
        var bogus = await Assert.ThrowsAsync<CommandException>(() => workspace.RunAsync(["up", "--yes", "--policy-pack-configs", "x", "--stack", "web"], null, CancellationToken.None));
        Assert.Equal(1, bogus.Result.Code);
        Assert.Equal("error: unknown flag: --policy-pack-configs\n", bogus.Result.StandardError);
    }

    [Fact]
    public async Task The_stand_in_accepts_exactly_the_contract_flags_and_event_log_only_under_PULUMI_DEBUG_COMMANDS()
    {
        var (_, desired) = StandInHarness.Spec("website.json", "flags");
        var workspace = await _harness.WorkspaceAsync("flags", PulumiProgramRenderer.Render(desired));
        var log = Path.Combine(_harness.Root, "events.txt");
        await WorkspaceStack.CreateAsync("flags", workspace, CancellationToken.None);

        var without = await _harness.RunAsync(["preview", "--stack", "flags", "--event-log", log], workspace.WorkDir, _harness.Environment());
        var with = await _harness.RunAsync(["preview", "--stack", "flags", "--event-log", log], workspace.WorkDir, _harness.Environment(("PULUMI_DEBUG_COMMANDS", "true")));
        var destroyExclude = await _harness.RunAsync(["destroy", "--yes", "--exclude-dependents", "--stack", "flags"], workspace.WorkDir, _harness.Environment());
        var noYes = await _harness.RunAsync(["up", "--non-interactive", "--stack", "flags"], workspace.WorkDir, _harness.Environment());
        var conflict = await _harness.RunAsync(["refresh", "--yes", "--preview-only", "--stack", "flags"], workspace.WorkDir, _harness.Environment());
        var export = await _harness.RunAsync(["stack", "export", "--stack", "flags"], workspace.WorkDir, _harness.Environment());

        Assert.Equal((1, "error: unknown flag: --event-log\n"), (without.Code, without.StandardError));
        Assert.Equal(0, with.Code);
        Assert.Contains("\"isPreview\":true", await File.ReadAllTextAsync(log), StringComparison.Ordinal);
        Assert.Equal((1, "error: unknown flag: --exclude-dependents\n"), (destroyExclude.Code, destroyExclude.StandardError));
        Assert.Equal(2, noYes.Code);
        Assert.Equal((1, "error: --yes and --preview-only cannot be used together\n"), (conflict.Code, conflict.StandardError));
        // Not in the contract the Automation API uses (flags.json): pending operations are cleared by refresh instead.
        Assert.Equal((1, "error: the stand-in does not implement `pulumi stack export`\n"), (export.Code, export.StandardError));
        Assert.Empty(_harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task Drift_is_kept_by_up_alone_and_corrected_by_refresh_then_up()
    {
        var (stack, desired, owner) = await StackAsync("drift", "website.json");
        await stack.UpAsync(null, CancellationToken.None);
        var project = desired.Projects[0].Project;
        await _harness.Cloud.Clients.CodeBuild.UpdateProjectAsync(project with { TimeoutInMinutes = 7, Tags = project.Tags }, CancellationToken.None);

        await stack.UpAsync(null, CancellationToken.None);
        Assert.False((await PlanAsync(desired, owner)).IsEmpty);

        var refresh = new ConcurrentQueue<EngineEvent>();
        await stack.RefreshAsync(new RefreshOptions { OnEvent = refresh.Enqueue }, CancellationToken.None);
        var up = new ConcurrentQueue<EngineEvent>();
        await stack.UpAsync(new UpOptions { OnEvent = up.Enqueue }, CancellationToken.None);

        Assert.Equal(1, refresh.Single(e => e.SummaryEvent is not null).SummaryEvent!.ResourceChanges["update"]);
        var update = up.Single(e => e.ResourceOutputsEvent?.Metadata.Op == "update").ResourceOutputsEvent!.Metadata;
        Assert.Equal(project.Name, update.New!.Id);
        Assert.Contains("buildTimeout", update.Diffs!);
        Assert.True((await PlanAsync(desired, owner)).IsEmpty);
    }

    [Fact]
    public async Task A_held_lock_is_a_ConcurrentUpdateException_naming_the_holder_until_it_is_released()
    {
        var held = Path.Combine(_harness.Root, "lock-held");
        await File.WriteAllTextAsync(held, "");
        var (stack, desired, owner) = await StackAsync("locked", "website.json", null, ("PULUMI_STANDIN_LOCK_HELD_WHILE", held));

        var locked = await Assert.ThrowsAsync<ConcurrentUpdateException>(() => stack.UpAsync(null, CancellationToken.None));
        Assert.Contains(locked.Holders, h => h.StartsWith("created by other@elsewhere (pid 4242)", StringComparison.Ordinal));
        Assert.Empty(_harness.Cloud.Server.State.ProjectNames);

        File.Delete(held);
        await stack.UpAsync(null, CancellationToken.None);
        Assert.True((await PlanAsync(desired, owner)).IsEmpty);
    }

    [Fact]
    public async Task A_failed_resource_stops_the_update_with_an_error_diagnostic_and_a_failed_summary()
    {
        var (stack, _, _) = await StackAsync("failing", "website.json", null, ("PULUMI_STANDIN_FAIL_RESOURCE", "failing-staging=AccessDenied: not allowed"));
        var events = new ConcurrentQueue<EngineEvent>();

        var failure = await Assert.ThrowsAsync<CommandException>(() => stack.UpAsync(new UpOptions { OnEvent = events.Enqueue }, CancellationToken.None));

        Assert.Equal(1, failure.Result.Code);
        var diagnostic = events.Single(e => e.DiagnosticEvent?.Severity == "error").DiagnosticEvent!;
        Assert.EndsWith("aws:codebuild/project:Project::failing-staging", diagnostic.Urn, StringComparison.Ordinal);
        Assert.Contains("AccessDenied: not allowed", diagnostic.Message, StringComparison.Ordinal);
        Assert.Single(events, e => e.ResourceOperationFailedEvent is not null);
        Assert.Equal("failed", events.Single(e => e.SummaryEvent is not null).SummaryEvent!.Result);
        Assert.DoesNotContain("failing-staging", _harness.Cloud.Server.State.ProjectNames);
    }

    [Fact]
    public async Task Cancelling_sends_SIGINT_the_cli_stops_after_its_step_releases_its_lock_and_the_next_up_converges()
    {
        var (stack, desired, owner) = await StackAsync("slow", "payments-pipeline.json", null, ("PULUMI_STANDIN_STEP_DELAY_MS", "300"));
        using var cancel = new CancellationTokenSource();
        var events = new ConcurrentQueue<EngineEvent>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stack.UpAsync(new UpOptions
        {
            OnEvent = e =>
            {
                events.Enqueue(e);
                if (e.ResourceOutputsEvent?.Metadata.Type == PulumiResourceType.CodeBuildProject.Token)
                {
                    cancel.Cancel();
                }
            },
        }, cancel.Token));

        Assert.NotEmpty(_harness.Cloud.Server.State.ProjectNames);
        Assert.False((await PlanAsync(desired, owner)).IsEmpty);
        await stack.UpAsync(null, CancellationToken.None);
        Assert.True((await PlanAsync(desired, owner)).IsEmpty);
        Assert.Equal("canceled", (await stack.Workspace.GetStackHistoryAsync("slow", 2, CancellationToken.None))[1].Result);
    }

    [Fact]
    public async Task A_killed_update_leaves_its_lock_and_a_pending_create_which_cancel_and_refresh_clear_before_up_converges()
    {
        var (document, desired) = StandInHarness.Spec("payments-pipeline.json", "killed");
        var program = PulumiProgramRenderer.Render(desired);
        var dying = await _harness.WorkspaceAsync("killed", program, ("PULUMI_STANDIN_INTERRUPT_AFTER_STEPS", "2"));
        var stack = await WorkspaceStack.CreateOrSelectAsync("killed", dying, CancellationToken.None);

        var killed = await Assert.ThrowsAsync<CommandException>(() => stack.UpAsync(null, CancellationToken.None));
        Assert.Equal(137, killed.Result.Code);

        var workspace = await _harness.WorkspaceAsync("killed", program);
        var restarted = await WorkspaceStack.SelectAsync("killed", workspace, CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrentUpdateException>(() => restarted.UpAsync(null, CancellationToken.None));
        await restarted.CancelAsync(CancellationToken.None);
        await restarted.RefreshAsync(new RefreshOptions { ClearPendingCreates = true }, CancellationToken.None);
        await restarted.UpAsync(null, CancellationToken.None);

        Assert.True((await PlanAsync(desired, OwnershipIdentity.Of(document))).IsEmpty);
    }

    [Fact]
    public async Task Destroy_deletes_the_resources_and_with_retainOnDelete_and_released_tags_leaves_them_unowned()
    {
        var (deleted, deletedDesired, _) = await StackAsync("gone", "website.json");
        await deleted.UpAsync(null, CancellationToken.None);
        await deleted.DestroyAsync(null, CancellationToken.None);
        await deleted.Workspace.RemoveStackAsync("gone", force: false, CancellationToken.None);
        Assert.All(deletedDesired.Projects, p => Assert.DoesNotContain(p.Project.Name, _harness.Cloud.Server.State.ProjectNames));

        var (kept, keptDesired, _) = await StackAsync("kept", "website.json");
        await kept.UpAsync(null, CancellationToken.None);
        await kept.Workspace.SaveProjectAsync(
            PulumiProgramRenderer.Render(keptDesired, new PulumiProgramOptions(RetainOnDelete: true, ReleaseOwnership: true)).ToYaml(), CancellationToken.None);
        await kept.UpAsync(null, CancellationToken.None);
        await kept.DestroyAsync(null, CancellationToken.None);
        await kept.Workspace.RemoveStackAsync("kept", force: false, CancellationToken.None);

        foreach (var project in keptDesired.Projects)
        {
            var live = _harness.Cloud.Server.State.GetProject(project.Project.Name);
            Assert.NotNull(live);
            Assert.DoesNotContain(live["tags"]!.AsArray(), t => ((string?)t!["key"])!.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal));
        }
        Assert.Equal(2, _harness.Invocations("destroy"));
    }
}
