using System.Diagnostics;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Sync;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Sync;

public sealed class SyncerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Creates_updates_renames_and_prunes_follow_the_commits_and_a_repeat_writes_nothing()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/alpha.json", SyncDocuments.Json("alpha"));
        h.Repo.Write("specs/team/stream.yaml", SyncDocuments.Yaml("bravo") + "---\n" + SyncDocuments.Yaml("charlie"));
        h.Repo.Write("specs/delta.yaml", SyncDocuments.Yaml("delta"));
        h.Repo.Write("other/ignored.json", SyncDocuments.Json("ignored"));
        var first = h.Repo.Commit("first");

        var created = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, created.Outcome);
        Assert.Equal(first, created.Revision);
        var stored = await h.StoredAsync();
        Assert.Equal(["alpha", "bravo", "charlie", "delta"], stored.Select(d => d.Metadata.Name));
        var charlie = stored.Single(d => d.Metadata.Name == "charlie");
        Assert.Equal(h.Source().Id, charlie.Metadata.Annotations![SyncAnnotations.Source]);
        Assert.Equal(first, charlie.Metadata.Annotations[SyncAnnotations.Revision]);
        Assert.Equal("team/stream.yaml", charlie.Metadata.Annotations[SyncAnnotations.File]);
        Assert.All(stored, d => Assert.Equal(first, d.Status?.SourceRevision));
        var status = await h.StatusAsync();
        Assert.Equal(first, status!.LastAppliedRevision);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.Equal(["alpha", "bravo", "charlie", "delta"], status.Inventory.Select(i => i.Name));

        // Change one, rename one file, delete another: an update, a file annotation update, a prune (1 of 4 owned).
        h.Repo.Write("specs/alpha.json", SyncDocuments.Json("alpha", timeoutMinutes: 90));
        h.Repo.Move("specs/delta.yaml", "specs/moved/delta.yaml");
        h.Repo.Write("specs/team/stream.yaml", SyncDocuments.Yaml("bravo"));
        var second = h.Repo.Commit("second");

        var changed = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, changed.Outcome);
        var plan = changed.Plan!;
        Assert.Equal(["alpha", "delta"], plan.Of(SyncAction.Update).Select(c => c.Name));
        Assert.Contains(plan.Of(SyncAction.Update).Single(c => c.Name == "alpha").Deltas, d => d.Path == "$.spec.build.timeoutMinutes" && d.Old == "60" && d.New == "90");
        Assert.Equal(["charlie"], plan.Of(SyncAction.Prune).Select(c => c.Name));
        Assert.Equal(["bravo"], plan.Of(SyncAction.Unchanged).Select(c => c.Name));
        stored = await h.StoredAsync();
        Assert.Equal(["alpha", "bravo", "delta"], stored.Select(d => d.Metadata.Name));
        Assert.Equal(90, stored[0].Spec.Build.TimeoutMinutes);
        Assert.Equal("moved/delta.yaml", stored[2].Metadata.Annotations![SyncAnnotations.File]);
        // An unchanged document keeps the revision it was last written from.
        Assert.Equal(first, stored[1].Metadata.Annotations![SyncAnnotations.Revision]);
        Assert.Equal(second, stored[0].Status!.SourceRevision);

        var versions = stored.Select(d => d.Metadata.ResourceVersion).ToList();
        var (_, statusVersion) = await h.Statuses.GetAsync(h.Source().Id, None);
        var repeat = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.NoChange, repeat.Outcome);
        Assert.Equal(versions, (await h.StoredAsync()).Select(d => d.Metadata.ResourceVersion));
        Assert.Equal(statusVersion, (await h.Statuses.GetAsync(h.Source().Id, None)).Version);
        Assert.Equal(["Applied", "Applied"], (await h.StatusAsync())!.History.Select(e => e.Result));
    }

    [Fact]
    public async Task An_invalid_document_fails_the_whole_revision_with_every_error_and_writes_nothing()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/good.json", SyncDocuments.Json("good"));
        h.Repo.Write("specs/bad.yaml", SyncDocuments.Yaml("bad").Replace("operation: up", "operation: deploy").Replace("timeoutMinutes: 60", "timeoutMinutes: -1"));
        h.Repo.Commit("one bad document");

        var result = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Invalid, result.Outcome);
        Assert.True(result.Errors.Count >= 2);
        Assert.All(result.Errors, e => Assert.Matches(@"^bad\.yaml:\d+: \$\.spec\.", e));
        Assert.Empty(await h.StoredAsync());
        var status = await h.StatusAsync();
        Assert.True(Conditions.IsTrue(status!.Conditions, ConditionTypes.Stalled));
        Assert.Null(status.LastAppliedRevision);
    }

    [Fact]
    public async Task A_document_created_by_hand_is_a_conflict_until_adopted()
    {
        await using var h = await SyncHarness.StartAsync();
        var manual = await h.Store.CreateAsync(Reconciler.Model.Validation.SpecValidator.Validate("manual", SyncDocuments.Json("shared")).Document!, None);
        h.Repo.Write("specs/shared.json", SyncDocuments.Json("shared", timeoutMinutes: 30));
        h.Repo.Write("specs/mine.json", SyncDocuments.Json("mine"));
        h.Repo.Commit("first");

        var conflict = await h.Syncer().SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Conflict, conflict.Outcome);
        var error = Assert.Single(conflict.Errors);
        Assert.StartsWith("shared.json: $.metadata.name: 'shared' exists in the store and is not owned by this source (owner: none)", error, StringComparison.Ordinal);
        Assert.Equal(["shared"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
        Assert.Equal(manual.Metadata.ResourceVersion, (await h.StoredAsync())[0].Metadata.ResourceVersion);

        var adopted = await h.Syncer(new SyncOptions(h.Source(), Adopt: true)).SyncAsync(dryRun: false, None);

        Assert.Equal(SyncOutcome.Applied, adopted.Outcome);
        Assert.Equal(["shared"], adopted.Plan!.Of(SyncAction.Adopt).Select(c => c.Name));
        var shared = (await h.StoredAsync()).Single(d => d.Metadata.Name == "shared");
        Assert.Equal(h.Source().Id, shared.Metadata.Annotations![SyncAnnotations.Source]);
        Assert.Equal(manual.Metadata.Uid, shared.Metadata.Uid);
        Assert.Equal(30, shared.Spec.Build.TimeoutMinutes);
    }

    [Fact]
    public async Task The_prune_guardrail_refuses_a_large_prune_unless_forced_and_honours_the_opt_out()
    {
        await using var h = await SyncHarness.StartAsync();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            h.Repo.Write($"specs/{name}.json", SyncDocuments.Json(name, annotations: name == "d" ? new Dictionary<string, string> { [SyncAnnotations.Prune] = SyncAnnotations.PruneDisabled } : null));
        }
        h.Repo.Commit("four");
        Assert.Equal(SyncOutcome.Applied, (await h.Syncer().SyncAsync(false, None)).Outcome);
        foreach (var name in new[] { "a", "b", "c" })
        {
            h.Repo.Delete($"specs/{name}.json");
        }
        h.Repo.Commit("three gone");

        var refused = await h.Syncer().SyncAsync(false, None);

        Assert.Equal(SyncOutcome.PruneRefused, refused.Outcome);
        Assert.Contains("3 of the 4", Assert.Single(refused.Errors), StringComparison.Ordinal);
        Assert.Equal(4, (await h.StoredAsync()).Count);

        // Everything: d leaves too; d is kept by its annotation, the others go once forced.
        h.Repo.Delete("specs/d.json");
        h.Repo.Write("specs/README.md", "no documents left");
        h.Repo.Commit("all gone");
        var everything = await h.Syncer(new SyncOptions(h.Source(), MaxPruneShare: 1.0)).SyncAsync(false, None);
        Assert.Equal(SyncOutcome.PruneRefused, everything.Outcome);
        Assert.Contains("every one", everything.Errors[0], StringComparison.Ordinal);

        var forced = await h.Syncer(new SyncOptions(h.Source(), Force: true)).SyncAsync(false, None);

        Assert.Equal(SyncOutcome.Applied, forced.Outcome);
        Assert.Equal(["d"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
        Assert.Equal(["d"], forced.Plan!.Of(SyncAction.KeepPruneDisabled).Select(c => c.Name));
    }

    [Fact]
    public async Task A_tag_a_commit_and_a_force_push_each_sync_to_their_revision()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        var first = h.Repo.Commit("first");
        h.Repo.Tag("release", first);
        h.Repo.Write("specs/b.json", SyncDocuments.Json("b"));
        var second = h.Repo.Commit("second");

        var byTag = await h.Syncer(new SyncOptions(h.Source("release"))).SyncAsync(false, None);
        Assert.Equal(first, byTag.Revision);
        Assert.Equal(["a"], (await h.StoredAsync()).Select(d => d.Metadata.Name));

        var bySha = await h.Syncer(new SyncOptions(h.Source(second))).SyncAsync(false, None);
        Assert.Equal(second, bySha.Revision);

        // The branch points at the commit just synced: same source, same revision, nothing to do.
        var byBranch = await h.Syncer().SyncAsync(false, None);
        Assert.Equal(SyncOutcome.NoChange, byBranch.Outcome);
        h.Repo.ResetHard(first);
        h.Repo.Write("specs/c.json", SyncDocuments.Json("c"));
        h.Repo.Write("specs/d.json", SyncDocuments.Json("d"));
        var rewritten = h.Repo.Commit("force-pushed");

        var afterForcePush = await h.Syncer().SyncAsync(false, None);

        Assert.Equal(rewritten, afterForcePush.Revision);
        Assert.Equal(["a", "c", "d"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
    }

    [Fact]
    public async Task A_dry_run_plans_and_writes_nothing_not_even_status()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        h.Repo.Commit("first");

        var preview = await h.Syncer().SyncAsync(dryRun: true, None);

        Assert.Equal(SyncOutcome.Applied, preview.Outcome);
        Assert.Equal(["a"], preview.Plan!.Of(SyncAction.Create).Select(c => c.Name));
        Assert.Empty(await h.StoredAsync());
        Assert.Null(await h.StatusAsync());
    }

    [Fact]
    public async Task An_interrupted_sync_is_completed_to_its_revision_before_a_newer_one()
    {
        await using var h = await SyncHarness.StartAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            h.Repo.Write($"specs/{name}.json", SyncDocuments.Json(name));
        }
        var first = h.Repo.Commit("first");
        using var interrupt = new CancellationTokenSource();
        var interrupted = h.Syncer(written: _ => interrupt.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.SyncAsync(false, interrupt.Token));

        Assert.Single(await h.StoredAsync());
        Assert.Equal(first, (await h.StatusAsync())!.InProgress?.Revision);
        h.Repo.Delete("specs/c.json");
        h.Repo.Write("specs/d.json", SyncDocuments.Json("d"));
        var second = h.Repo.Commit("second");

        var resumed = await h.Syncer().SyncAsync(false, None);

        Assert.Equal(SyncOutcome.Applied, resumed.Outcome);
        Assert.Equal(first, resumed.ResumedRevision);
        Assert.Equal(second, resumed.Revision);
        Assert.Equal(["a", "b", "d"], (await h.StoredAsync()).Select(d => d.Metadata.Name));
        var status = await h.StatusAsync();
        Assert.Null(status!.InProgress);
        Assert.Equal([second, first], status.History.Select(e => e.Revision));
    }

    [Fact]
    public async Task Written_documents_carry_the_sync_span_as_their_traceparent()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SyncTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await SyncHarness.StartAsync();
        h.Repo.Write("specs/a.json", SyncDocuments.Json("a"));
        h.Repo.Commit("first");
        Activity? span = null;
        listener.ActivityStopped = a => span ??= a.Source.Name == SyncTracing.SourceName && a.GetTagItem("reconciler.sync.source") as string == h.Source().Id ? a : null;

        await h.Syncer().SyncAsync(false, None);

        Assert.NotNull(span);
        var traceParent = (await h.StoredAsync())[0].Metadata.Annotations![RuntimeAnnotations.TraceParent];
        Assert.True(ActivityContext.TryParse(traceParent, null, out var context));
        Assert.Equal(span.TraceId, context.TraceId);
        Assert.Equal(span.SpanId, context.SpanId);
    }
}
