using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;
using Reconciler.Controller.Reconciliation;
using Reconciler.LocalCloud.Faults;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
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

        // Two full batches leave at once; the last 50 names wait for the window (which runs once those two are answered).
        await WaitUntilAsync(() => Calls("CodeBuild.BatchGetProjects") == 2);
        Assert.False(lookups.All(l => l.IsCompleted));
        var all = Task.WhenAll(lookups);
        await WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            return all.IsCompleted;
        });
        var states = await all;

        Assert.Equal(3, Calls("CodeBuild.BatchGetProjects"));
        Assert.Equal(10, states.Take(2).Sum(s => s.Projects.Count));
        Assert.All(states.Skip(2), s => Assert.Empty(s.Projects));
    }

    [Fact]
    public async Task A_batch_keeps_filling_past_its_first_window_while_names_keep_coming()
    {
        await using var reader = NewReader();
        Task<LiveState> Look(string name) => reader.ObserveAsync(new ObservationRequest([name], []), CancellationToken.None);

        // Window 1 s: a at 0, b at 0.6 s, c at 1.2 s, each less than a window after the one before.
        var a = Look("stream-a");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        var b = Look("stream-b");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        var c = Look("stream-c");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        var all = Task.WhenAll(a, b, c);
        await WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return all.IsCompleted;
        });

        // One call: the window counts from the last name, not the first (which would have sent a and b without c).
        Assert.Equal(1, Calls("CodeBuild.BatchGetProjects"));
    }

    [Fact]
    public async Task A_batch_part_full_waits_while_another_is_in_flight_for_the_names_its_answer_brings_back()
    {
        await using var held = await HeldAnswers.StartAsync(_time);
        var (cloud, reader) = (held.Cloud, held.Reader);
        Task<LiveState> Look(params string[] names) => held.Look(names);
        long Sent() => cloud.Server.Counters["CodeBuild.BatchGetProjects"].Requests;

        var full = Look([.. Enumerable.Range(0, 100).Select(i => $"full-{i}")]);
        await cloud.Server.Faults.Holds.WhenHeldAsync("CodeBuild.BatchGetProjects", 1);
        var early = Look("early");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        // Far past the window and the five-window limit: with a batch in flight, the open one stays open.
        _time.Advance(TimeSpan.FromSeconds(6));
        var late = Look("late");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        Assert.Equal(1, cloud.Server.Faults.Holds.Held("CodeBuild.BatchGetProjects"));

        await held.ReleaseUntilAsync(full);
        var rest = Task.WhenAll(early, late);
        await WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            return rest.IsCompleted || cloud.Server.Faults.Holds.Held("CodeBuild.BatchGetProjects") > 0;
        });
        await held.ReleaseUntilAsync(rest);

        // Two calls: early and late shared the second batch, sent only once the first was answered.
        Assert.Equal(2, Sent());
    }

    [Fact]
    public async Task An_answer_gives_its_workers_a_whole_window_to_come_back_before_a_part_full_batch_leaves()
    {
        await using var held = await HeldAnswers.StartAsync(_time);
        var (cloud, cloudTime, reader) = (held.Cloud, held.CloudTime, held.Reader);
        Task<LiveState> Look(params string[] names) => held.Look(names);

        var full = Look([.. Enumerable.Range(0, 100).Select(i => $"full-{i}")]);
        await cloud.Server.Faults.Holds.WhenHeldAsync("CodeBuild.BatchGetProjects", 1);
        var x = Look("x");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        // The answer comes 0.9 s into the window; at 1.1 s the window would be over counted from x, not from the answer.
        _time.Advance(TimeSpan.FromMilliseconds(900));
        await held.ReleaseUntilAsync(full);
        var checks = reader.BatchWindowChecks;
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await WaitUntilAsync(() => reader.BatchWindowChecks > checks);
        var y = Look("y");
        await WaitUntilAsync(() => reader.WaitingLookups == 0);
        Assert.Equal(0, cloud.Server.Faults.Holds.Held("CodeBuild.BatchGetProjects"));

        var rest = Task.WhenAll(x, y);
        await WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            cloudTime.Advance(TimeSpan.FromSeconds(10));
            return rest.IsCompleted;
        });

        // x and y shared the second call (x alone, then y, had the window counted from x).
        Assert.Equal(2, cloud.Server.Counters["CodeBuild.BatchGetProjects"].Requests);
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
    public async Task A_known_pipeline_stands_for_a_read_while_the_snapshot_shows_its_version_and_update_time_and_no_longer()
    {
        var document = Sample("payments-pipeline.json") with { Metadata = Sample("payments-pipeline.json").Metadata with { Uid = "k" } };
        var pipeline = PipelineRenderer.Render(document).Pipeline!;
        var name = pipeline.Declaration.Name;
        await _cloud.Clients.CodePipeline.CreatePipelineAsync(pipeline.Declaration, pipeline.Tags, CancellationToken.None);
        var seen = await _cloud.Clients.CodePipeline.GetPipelineAsync(name, CancellationToken.None);
        var stamp = KnownPipeline.Stamp(pipeline, new LivePipeline(seen.Pipeline, seen.Metadata, pipeline.Tags))!;
        var recorded = new ResourceStatus { Kind = "CodePipeline", Name = name, Arn = seen.Metadata!.PipelineArn, State = ResourceStates.Synced, Observed = stamp };
        var known = KnownPipeline.From(pipeline, recorded, ResourceStates.Synced)!;
        await using var reader = NewReader();
        var request = new ObservationRequest([], [name]) { Known = known };
        var reads = Calls("CodePipeline.GetPipeline");

        var trusted = await reader.ObserveAsync(request, CancellationToken.None);

        Assert.Equal(reads, Calls("CodePipeline.GetPipeline"));
        Assert.Equal(0, Calls("CodePipeline.ListTagsForResource"));
        Assert.Empty(ResourceDiff.Pipeline(pipeline, trusted.Pipelines[name]));
        Assert.Equal(seen.Metadata.PipelineArn, trusted.Pipelines[name].Metadata!.PipelineArn);

        // Another digest (the spec renders something else now), another state, or a moved version: no trust.
        Assert.Null(KnownPipeline.From(pipeline, recorded with { Observed = stamp with { Digest = "other" } }, ResourceStates.Synced));
        Assert.Null(KnownPipeline.From(pipeline, recorded with { State = ResourceStates.Drifted }, ResourceStates.Synced));
        _cloud.Server.State.ChangePipeline(name, p => p["roleArn"] = "arn:aws:iam::123456789012:role/by-hand");
        reader.StartResync();
        var changed = await reader.ObserveAsync(request, CancellationToken.None);
        Assert.Equal(reads + 1, Calls("CodePipeline.GetPipeline"));
        Assert.Equal("arn:aws:iam::123456789012:role/by-hand", changed.Pipelines[name].Declaration.RoleArn);
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

    /// <summary>A reader (window 1 s, on the test's clock) against a LocalCloud that holds every BatchGetProjects answer until its own clock moves 10 s.</summary>
    private sealed class HeldAnswers : IAsyncDisposable
    {
        private HeldAnswers(EmbeddedCloud cloud, FakeTimeProvider cloudTime, LiveStateReader reader) => (Cloud, CloudTime, Reader) = (cloud, cloudTime, reader);

        public EmbeddedCloud Cloud { get; }

        public FakeTimeProvider CloudTime { get; }

        public LiveStateReader Reader { get; }

        public static async Task<HeldAnswers> StartAsync(TimeProvider readerTime)
        {
            var cloudTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var cloud = await EmbeddedCloud.StartAsync([],
                new FaultSettings([new FaultRule("CodeBuild.BatchGetProjects", LatencyMs: 10_000)]), time: cloudTime);
            var reader = new LiveStateReader(cloud.Clients.CodeBuild, cloud.Clients.CodePipeline, readerTime,
                new LiveStateReaderOptions { BatchWindow = TimeSpan.FromSeconds(1) }, NullLogger<LiveStateReader>.Instance);
            return new HeldAnswers(cloud, cloudTime, reader);
        }

        /// <summary>Moves LocalCloud's clock until <paramref name="answered"/> completes: a request is held once its timer is armed, a moment after it arrives.</summary>
        public async Task ReleaseUntilAsync(Task answered)
        {
            await WaitUntilAsync(() =>
            {
                CloudTime.Advance(TimeSpan.FromSeconds(10));
                return answered.IsCompleted;
            });
            await answered;
        }

        public Task<LiveState> Look(string[] names) => Reader.ObserveAsync(new ObservationRequest(names, []), CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await Reader.DisposeAsync();
            await Cloud.DisposeAsync();
        }
    }
}
