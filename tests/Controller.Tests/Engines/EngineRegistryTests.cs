using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Observation;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Engines;

/// <summary>The engine registry: what it finds, what it refuses, and the invalidation it owes every engine, against LocalCloud.</summary>
public sealed class EngineRegistryTests : IAsyncLifetime
{
    private EmbeddedCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await EmbeddedCloud.StartAsync([]);

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private long Calls(string operation) => _cloud.Server.Counters[operation].Requests;

    [Fact]
    public void The_default_registry_finds_every_engine_definition_in_the_program_by_itself()
    {
        var registry = EngineRegistry.Default;

        Assert.Contains(DirectEngine.EngineName, registry.Names);
        Assert.Equal(EngineRegistry.DefaultEngine, registry.Find(EngineRegistry.DefaultEngine).Name);
        Assert.IsType<DirectEngineDefinition>(registry.Find("direct"));
    }

    [Fact]
    public void An_unknown_engine_is_a_format_error_that_lists_the_registered_ones()
    {
        var error = Assert.Throws<FormatException>(() => EngineRegistry.Default.Find("terraform"));

        Assert.StartsWith("engine 'terraform' is not available; use 'direct'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_engines_with_one_name_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineRegistry([new DirectEngineDefinition(), new DirectEngineDefinition()]));

        Assert.Contains("two engines are named 'direct'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registered_engine_keeps_the_reader_current_without_invalidating_anything_itself()
    {
        await using var reader = new LiveStateReader(_cloud.Clients.CodeBuild, _cloud.Clients.CodePipeline, TimeProvider.System,
            new LiveStateReaderOptions { BatchWindow = TimeSpan.FromMilliseconds(1) }, NullLogger<LiveStateReader>.Instance);
        var engine = EngineRegistry.Default.Create(DirectEngine.EngineName,
            new EngineContext(_cloud.Clients.Services, reader, TimeProvider.System, NullLoggerFactory.Instance, new Dictionary<string, string>()));
        var document = Named(Sample("payments-pipeline.json"), "inv");
        document = document with { Metadata = document.Metadata with { Uid = "uid-inv" } };
        var owner = OwnershipIdentity.Of(document);

        async Task<LiveState> ConvergeAsync(DesiredState desired)
        {
            var live = await reader.ObserveAsync(ObservationRequest.For(desired, null), CancellationToken.None);
            var outcome = await engine.ApplyAsync(new ConvergeRequest(owner, false, desired, live, Planner.Plan(desired, live, owner, adopt: false)), CancellationToken.None);
            Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
            return await reader.ObserveAsync(ObservationRequest.For(desired, null), CancellationToken.None);
        }

        var created = PipelineRenderer.Render(document);
        var pipeline = created.Pipeline!.Declaration.Name;
        await ConvergeAsync(created);
        var readsAfterCreate = Calls("CodePipeline.GetPipeline");
        // The engine's own read after the create is the freshest there is: the next observation answers from it.
        var again = await reader.ObserveAsync(ObservationRequest.For(created, null), CancellationToken.None);
        Assert.True(again.Pipelines.ContainsKey(pipeline));
        Assert.Equal(readsAfterCreate, Calls("CodePipeline.GetPipeline"));

        // A tags-only update leaves the pipeline's version alone, so only invalidation can show it.
        var retagged = PipelineRenderer.Render(document with { Spec = document.Spec with { Tags = new Dictionary<string, string> { ["cost-center"] = "payments-2" } } });
        var after = await ConvergeAsync(retagged);

        Assert.Contains(after.Pipelines[pipeline].Tags, t => t.Key == "cost-center" && t.Value == "payments-2");
        Assert.Empty(Planner.Plan(retagged, after, owner, adopt: false).Steps);
    }
}
