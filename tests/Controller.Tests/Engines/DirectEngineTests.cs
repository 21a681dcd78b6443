using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Observation;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Engines;

/// <summary>The direct engine's idempotence against LocalCloud: plans made from a stale observation still converge.</summary>
public sealed class DirectEngineTests : IAsyncLifetime
{
    private EmbeddedCloud _cloud = null!;
    private NaiveLiveStateReader _reader = null!;
    private DirectEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _cloud = await EmbeddedCloud.StartAsync([]);
        _reader = new NaiveLiveStateReader(_cloud.Clients.CodeBuild, _cloud.Clients.CodePipeline);
        _engine = new DirectEngine(_cloud.Clients.CodeBuild, _cloud.Clients.CodePipeline, _reader, NullLogger<DirectEngine>.Instance);
    }

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private static (PulumiPipeline Document, DesiredState Desired) Spec(string name)
    {
        var document = Named(Sample("website.json"), name) with { Metadata = Named(Sample("website.json"), name).Metadata with { Uid = $"uid-{name}" } };
        return (document, PipelineRenderer.Render(document));
    }

    private Task<ApplyOutcome> ApplyAsync(PulumiPipeline document, DesiredState desired, LiveState staleLive, bool adopt = false) =>
        _engine.ApplyAsync(new ConvergeRequest(OwnershipIdentity.Of(document), adopt, desired,
            staleLive, Planner.Plan(desired, staleLive, OwnershipIdentity.Of(document), adopt)), CancellationToken.None);

    [Fact]
    public async Task A_create_that_finds_our_resource_already_there_updates_it_instead()
    {
        var (document, desired) = Spec("idem");
        var drifted = desired.Projects[0].Project with { TimeoutInMinutes = 5 };
        await _cloud.Clients.CodeBuild.CreateProjectAsync(drifted, CancellationToken.None);

        // The plan was made when nothing existed: it says create.
        var outcome = await ApplyAsync(document, desired, LiveState.Empty);

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        Assert.Equal(2 + 3, outcome.Creates);
        Assert.Equal(1, outcome.Updates);
        Assert.Equal(60, (int)_cloud.Server.State.GetProject(drifted.Name)!["timeoutInMinutes"]!);
        Assert.Equal(1, _cloud.Server.Counters["CodeBuild.CreateProject"].Failed);
    }

    [Fact]
    public async Task A_create_that_finds_a_resource_we_do_not_own_fails_that_step_with_ResourceConflict_and_leaves_it()
    {
        var (document, desired) = Spec("foreign");
        var theirs = desired.Projects[1].Project with { Tags = [new AwsTag { Key = "team", Value = "other" }] };
        await _cloud.Clients.CodeBuild.CreateProjectAsync(theirs, CancellationToken.None);
        var before = _cloud.Server.State.GetProject(theirs.Name)!.ToJsonString();

        var outcome = await ApplyAsync(document, desired, LiveState.Empty);

        var error = Assert.Single(outcome.Errors, e => e.Kind == ResourceKind.CodeBuildProject);
        Assert.Equal(("ResourceConflict", theirs.Name), (error.Code, error.Name));
        var skipped = Assert.Single(outcome.Errors, e => e.Kind == ResourceKind.CodeBuildWebhook);
        Assert.Equal(("DependencyFailed", theirs.Name), (skipped.Code, skipped.Name));
        Assert.Equal(before, _cloud.Server.State.GetProject(theirs.Name)!.ToJsonString());
    }

    [Fact]
    public async Task Deleting_what_is_already_gone_succeeds_and_an_update_of_what_vanished_creates_it()
    {
        var (document, desired) = Spec("vanish");
        await ApplyAsync(document, desired, LiveState.Empty);
        var live = await _reader.ObserveAsync(ObservationRequest.For(desired, null), CancellationToken.None);
        var drifted = live with
        {
            Projects = live.Projects.ToDictionary(p => p.Key, p => p.Value with { TimeoutInMinutes = 5 }),
        };
        await _cloud.Clients.CodeBuild.DeleteProjectAsync(desired.Projects[2].Project.Name, CancellationToken.None);

        // The plan says update all three (from a stale read); one of them is gone by now.
        var update = await ApplyAsync(document, desired, drifted);
        Assert.True(update.Succeeded, string.Join("; ", update.Errors));
        Assert.Equal(3, _cloud.Server.State.ProjectNames.Count);

        var gone = desired with { Projects = [] };
        await _cloud.Clients.CodeBuild.DeleteProjectAsync(desired.Projects[0].Project.Name, CancellationToken.None);
        var delete = await ApplyAsync(document, gone, live);
        Assert.True(delete.Succeeded, string.Join("; ", delete.Errors));
        Assert.Equal(3, delete.Deletes);
        Assert.Empty(_cloud.Server.State.ProjectNames);
    }
}
