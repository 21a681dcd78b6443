using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.Reconciliation;

/// <summary>The status writer on a real SQLite store (reading past the informer's lag is the runtime's: <c>ReadYourWritesTests</c>).</summary>
public sealed class PipelineStatusWriterTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("status-writer-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private SqliteSpecStore _store = null!;
    private PipelineStatusWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_directory, "specs.db") });
        _writer = new PipelineStatusWriter(_store, _time, TimeSpan.FromMinutes(5), new PipelineMetrics(), NullLogger<PipelineStatusWriter>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static PipelineStatus Status(string message) => new()
    {
        Phase = StatusPhases.Ready,
        ObservedGeneration = 1,
        Conditions = [new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = StatusReasons.Converged, Message = message }],
    };

    [Fact]
    public async Task A_status_that_did_not_change_is_not_written()
    {
        var created = await _store.CreateAsync(Named(Sample("website.json"), "quiet"), CancellationToken.None);
        var written = await _writer.WriteAsync(created, Status("3 resources in sync"), CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(1));
        // As the reconciler composes it: the previous next-resync time carried over.
        var again = await _writer.WriteAsync(written, Status("3 resources in sync") with { NextResyncTime = written.Status!.NextResyncTime }, CancellationToken.None);

        Assert.Same(written, again);
        Assert.Equal(written.Metadata.ResourceVersion, (await _store.GetAsync("quiet", CancellationToken.None))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task An_intent_is_not_recorded_for_a_generation_the_document_has_left()
    {
        var read = await _store.CreateAsync(Named(Sample("website.json"), "moving"), CancellationToken.None);
        var changed = await _store.UpdateAsync(read with { Spec = read.Spec with { DriftPolicy = DriftPolicies.Detect } }, CancellationToken.None);

        var stale = await _writer.RecordIntentAsync(read, Status("applying"), CancellationToken.None);
        var current = await _writer.RecordIntentAsync(changed, Status("applying"), CancellationToken.None);

        Assert.Null(stale);
        Assert.NotNull(current);
        Assert.Equal("applying", (await _store.GetAsync("moving", CancellationToken.None))!.Status!.Conditions.Single().Message);
    }

    [Fact]
    public async Task A_spec_relabelled_out_of_the_selector_mid_reconcile_gets_no_status_from_this_controller()
    {
        var scoped = new PipelineStatusWriter(_store, _time, TimeSpan.FromMinutes(5), new PipelineMetrics(), NullLogger<PipelineStatusWriter>.Instance, labelSelector: "team=a");
        var sample = Named(Sample("website.json"), "handed-over");
        var read = await _store.CreateAsync(sample with { Metadata = sample.Metadata with { Labels = new Dictionary<string, string> { ["team"] = "a" } } }, CancellationToken.None);
        // Relabelled to team=b (same generation) after this controller read it: the write conflicts, and the retry must not land.
        await _store.UpdateAsync(read with { Metadata = read.Metadata with { Labels = new Dictionary<string, string> { ["team"] = "b" } } }, CancellationToken.None);

        var recorded = await scoped.RecordIntentAsync(read, Status("applying"), CancellationToken.None);

        Assert.Null(recorded);
        var stored = (await _store.GetAsync("handed-over", CancellationToken.None))!;
        Assert.Equal(read.Metadata.Generation, stored.Metadata.Generation);
        Assert.Null(stored.Status);
    }
}
