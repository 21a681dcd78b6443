using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Observation;

/// <summary>The reader's call economy, counted by LocalCloud over HTTP; the batch window runs on a fake clock.</summary>
public sealed class LiveStateReaderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private EmbeddedCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await EmbeddedCloud.StartAsync([]);

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private LiveStateReader NewReader() => new(_cloud.Clients.CodeBuild, _cloud.Clients.CodePipeline, _time,
        new LiveStateReaderOptions { BatchWindow = TimeSpan.FromSeconds(1), PipelineSnapshotPeriod = TimeSpan.FromMinutes(5) },
        NullLogger<LiveStateReader>.Instance);

    private long Calls(string operation) => _cloud.Server.Counters[operation].Requests;

    [Fact]
    public async Task Concurrent_look_ups_share_BatchGetProjects_calls_of_at_most_100_names()
    {
        var existing = Enumerable.Range(0, 4)
            .SelectMany(i => PipelineRenderer.Render(Named(Sample("website.json"), $"b{i}")).Projects.Select(p => p.Project))
            .Take(10)
            .ToList();
        foreach (var project in existing)
        {
            await _cloud.Clients.CodeBuild.CreateProjectAsync(project, CancellationToken.None);
        }
        await using var reader = NewReader();
        // 50 reconciles of 5 names each: 250 distinct names; the first two reconciles ask for the 10 that exist.
        IReadOnlyList<string> Names(int r) => r < 2
            ? existing.Skip(r * 5).Take(5).Select(p => p.Name).ToList()
            : Enumerable.Range(0, 5).Select(i => $"absent-{r}-{i}").ToList();
        var lookups = Enumerable.Range(0, 50)
            .Select(r => reader.ObserveAsync(new ObservationRequest(Names(r), []), CancellationToken.None))
            .ToList();

        // Two full batches leave at once; the last 50 names wait for the window.
        await WaitUntilAsync(() => Calls("CodeBuild.BatchGetProjects") == 2);
        Assert.False(lookups.All(l => l.IsCompleted));
        _time.Advance(TimeSpan.FromSeconds(1));
        var states = await Task.WhenAll(lookups);

        Assert.Equal(3, Calls("CodeBuild.BatchGetProjects"));
        Assert.Equal(10, states.Take(2).Sum(s => s.Projects.Count));
        Assert.All(states.Skip(2), s => Assert.Empty(s.Projects));
    }

    [Fact]
    public async Task A_pipeline_is_read_whole_only_when_new_or_changed_and_a_resync_retakes_the_snapshot()
    {
        var document = Sample("payments-pipeline.json") with { Metadata = Sample("payments-pipeline.json").Metadata with { Uid = "u" } };
        var pipeline = PipelineRenderer.Render(document).Pipeline!;
        await _cloud.Clients.CodePipeline.CreatePipelineAsync(pipeline.Declaration, pipeline.Tags, CancellationToken.None);
        await using var reader = NewReader();
        var request = new ObservationRequest([], [pipeline.Declaration.Name]);

        var first = await reader.ObserveAsync(request, CancellationToken.None);
        var second = await reader.ObserveAsync(request, CancellationToken.None);

        Assert.Equal(1, Calls("CodePipeline.ListPipelines"));
        Assert.Equal(1, Calls("CodePipeline.GetPipeline"));
        Assert.Equal(1, Calls("CodePipeline.ListTagsForResource"));
        Assert.Equal(first.Pipelines.Values.Single(), second.Pipelines.Values.Single());
        Assert.Contains(second.Pipelines.Values.Single().Tags, t => t.Key == OwnershipTags.Uid);

        // Changed behind the reader's back: seen once a resync retakes the snapshot, and only then.
        _cloud.Server.State.ChangePipeline(pipeline.Declaration.Name, p => p["roleArn"] = "arn:aws:iam::123456789012:role/other");
        await reader.ObserveAsync(request, CancellationToken.None);
        Assert.Equal(1, Calls("CodePipeline.GetPipeline"));
        reader.StartResync();
        var changed = await reader.ObserveAsync(request, CancellationToken.None);

        Assert.Equal(2, Calls("CodePipeline.ListPipelines"));
        Assert.Equal(2, Calls("CodePipeline.GetPipeline"));
        Assert.Equal("arn:aws:iam::123456789012:role/other", changed.Pipelines.Values.Single().Declaration.RoleArn);

        // Deleted: the next snapshot no longer lists it, and it is reported missing without another read.
        await _cloud.Clients.CodePipeline.DeletePipelineAsync(pipeline.Declaration.Name, CancellationToken.None);
        reader.StartResync();
        var gone = await reader.ObserveAsync(request, CancellationToken.None);
        Assert.Empty(gone.Pipelines);
        Assert.Equal(2, Calls("CodePipeline.GetPipeline"));
    }

    [Fact]
    public async Task The_naive_reader_reads_every_resource_alone_every_time()
    {
        var project = PipelineRenderer.Render(Named(Sample("website.json"), "n1")).Projects[0].Project;
        await _cloud.Clients.CodeBuild.CreateProjectAsync(project, CancellationToken.None);
        var naive = new NaiveLiveStateReader(_cloud.Clients.CodeBuild, _cloud.Clients.CodePipeline);

        var live = await naive.ObserveAsync(new ObservationRequest([project.Name, "n1-absent", "n1-other"], ["n1-pipeline"]), CancellationToken.None);

        Assert.Equal([project.Name], live.Projects.Keys);
        Assert.Equal(3, Calls("CodeBuild.BatchGetProjects"));
        Assert.Equal(1, Calls("CodePipeline.GetPipeline"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
        }
    }
}
