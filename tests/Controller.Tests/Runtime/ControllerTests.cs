using System.Diagnostics;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Tests.Observability;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

public sealed class ControllerTests
{
    [Fact]
    public async Task Status_only_writes_do_not_enqueue_and_a_steady_state_costs_no_writes()
    {
        await using var h = await RuntimeHarness.CreateAsync(workers: 1);
        await h.StartAsync();
        await h.CreateObjectAsync("alpha");
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("alpha")).Status?.ObservedGeneration == 1, "alpha ready");

        // One worker, FIFO: had alpha's status write enqueued it, alpha would be reconciled again before beta.
        await h.CreateObjectAsync("beta");
        await RuntimeHarness.WaitUntilAsync(async () => (await h.Store.GetAsync("beta", default))?.Status is not null, "beta ready");
        await h.IdleAsync();
        Assert.Equal(1, h.Reconciler.Reconciles("alpha"));
        Assert.Equal(2, h.StatusWriter.Writes);

        // A resync reconciles both again; nothing changed, so nothing is written.
        h.Time.Advance(TimeSpan.FromMinutes(12));
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("alpha") == 2 && h.Reconciler.Reconciles("beta") == 2, "resync");
        await h.IdleAsync();
        Assert.Equal(2, h.StatusWriter.Writes);
        Assert.Equal(2, h.StatusWriter.Skips);
    }

    [Fact]
    public async Task Resync_re_enqueues_every_cached_object()
    {
        await using var h = await RuntimeHarness.CreateAsync(resync: TimeSpan.FromMinutes(5));
        await h.StartAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await h.CreateObjectAsync(name);
        }
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.TotalReconciles == 3);
        await h.IdleAsync();
        h.Time.Advance(TimeSpan.FromMinutes(6));
        await RuntimeHarness.WaitUntilAsync(() => new[] { "a", "b", "c" }.All(n => h.Reconciler.Reconciles(n) == 2), "every object reconciled again");
    }

    [Fact]
    public async Task A_spec_change_or_a_reconcile_request_enqueues()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        await h.StartAsync();
        await h.CreateObjectAsync("gamma");
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("gamma")).Status is not null);

        var current = await h.GetAsync("gamma");
        await h.Store.UpdateAsync(current with { Spec = current.Spec with { DriftPolicy = "Detect" } }, default);
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("gamma")).Status?.ObservedGeneration == 2, "generation 2 observed");

        current = await h.GetAsync("gamma");
        var annotations = new Dictionary<string, string> { [RuntimeAnnotations.ReconcileRequest] = "2025-01-01T00:05:00Z" };
        await h.Store.UpdateAsync(current with { Metadata = current.Metadata with { Annotations = annotations } }, default);
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("gamma") == 3, "reconcile request honoured");
    }

    [Fact]
    public async Task The_finalizer_is_attached_before_the_first_reconcile_and_removed_after_finalize()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        PulumiPipeline? seen = null;
        h.Reconciler.Behaviour = (doc, _) =>
        {
            seen = doc;
            return Task.FromResult<ReconcileResult?>(null);
        };
        await h.StartAsync();
        await h.CreateObjectAsync("delta");
        await RuntimeHarness.WaitUntilAsync(() => seen is not null);
        Assert.Contains(RuntimeAnnotations.Finalizer, seen!.Metadata.Finalizers!);
        Assert.Contains(RuntimeAnnotations.Finalizer, (await h.GetAsync("delta")).Metadata.Finalizers!);

        await h.Store.DeleteAsync("delta", null, default);
        await RuntimeHarness.WaitUntilAsync(async () => await h.Store.GetAsync("delta", default) is null, "delta removed after finalize");
        Assert.Equal(1, h.Reconciler.Finalizes("delta"));
        Assert.Equal(1, h.Reconciler.Reconciles("delta"));
    }

    [Fact]
    public async Task A_finalize_that_asks_to_requeue_keeps_the_finalizer_until_it_succeeds()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        var attempts = 0;
        h.Reconciler.FinalizeBehaviour = (_, _) => Task.FromResult(++attempts < 2 ? ReconcileResult.Requeue(TimeSpan.FromSeconds(30)) : ReconcileResult.Done);
        await h.StartAsync();
        await h.CreateObjectAsync("epsilon");
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("epsilon")).Status is not null);
        await h.Store.DeleteAsync("epsilon", null, default);
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Finalizes("epsilon") == 1);
        await h.IdleAsync();
        Assert.NotNull(await h.Store.GetAsync("epsilon", default));

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await RuntimeHarness.WaitUntilAsync(async () => await h.Store.GetAsync("epsilon", default) is null, "removed after the second finalize");
    }

    [Fact]
    public async Task Errors_retry_with_backoff_and_success_forgets_the_failures()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        var failures = 3;
        h.Reconciler.Behaviour = (_, _) => Interlocked.Decrement(ref failures) >= 0
            ? throw new InvalidOperationException("the cloud is down")
            : Task.FromResult<ReconcileResult?>(null);
        await h.StartAsync();
        await h.CreateObjectAsync("zeta");

        // Retries at 1 s, 2 s and 4 s: each only after the fake clock has moved that far.
        foreach (var (attempt, delay) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("zeta") == attempt && h.Controller.Queue.DelayedCount == 1, $"attempt {attempt}");
            Assert.Equal(attempt, h.Controller.Queue.NumRequeues("zeta"));
            h.Time.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, h.Reconciler.Reconciles("zeta"));
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
        }
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("zeta")).Status is not null, "finally reconciled");
        await h.IdleAsync();
        Assert.Equal(0, h.Controller.Queue.NumRequeues("zeta"));
        Assert.Equal(3, h.Metric("controller_runtime_reconcile_errors_total"));
        Assert.Equal(3, h.Metric("controller_runtime_reconcile_total", "error"));
        Assert.Equal(1, h.Metric("controller_runtime_reconcile_total", "success"));
        Assert.Equal(3, h.Metric("workqueue_retries_total"));
        Assert.Equal(0, h.Metric("controller_runtime_reconcile_panics_total"));
    }

    [Fact]
    public async Task A_terminal_error_is_not_retried_until_the_object_changes()
    {
        await using var h = await RuntimeHarness.CreateAsync(resync: TimeSpan.FromMinutes(5));
        h.Reconciler.Behaviour = (doc, _) => doc.Metadata.Generation == 1
            ? throw new TerminalReconcileException("InvalidSpec", "stage 'prod' names no stack")
            : Task.FromResult<ReconcileResult?>(null);
        await h.StartAsync();
        await h.CreateObjectAsync("eta");
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("eta") == 1);
        await h.IdleAsync();
        Assert.Equal(0, h.Controller.Queue.DelayedCount);

        h.Time.Advance(TimeSpan.FromMinutes(6));
        await h.IdleAsync();
        Assert.Equal(1, h.Reconciler.Reconciles("eta"));
        Assert.Equal(1, h.Metric("controller_runtime_terminal_reconcile_errors_total"));

        var current = await h.GetAsync("eta");
        await h.Store.UpdateAsync(current with { Spec = current.Spec with { DriftPolicy = "Detect" } }, default);
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("eta")).Status?.ObservedGeneration == 2, "retried after the fix");
    }

    [Fact]
    public async Task RequeueAfter_comes_back_after_the_delay()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        h.Reconciler.Behaviour = (_, _) => Task.FromResult<ReconcileResult?>(ReconcileResult.Requeue(TimeSpan.FromMinutes(1)));
        await h.StartAsync();
        await h.CreateObjectAsync("theta");
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("theta") == 1 && h.Controller.Queue.DelayedCount == 1);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await RuntimeHarness.WaitUntilAsync(() => h.Reconciler.Reconciles("theta") == 2);
        Assert.True(h.Metric("controller_runtime_reconcile_total", "requeue_after") >= 1);
    }

    [Fact]
    public async Task A_reconcile_that_overruns_its_timeout_is_cancelled_and_retried()
    {
        await using var h = await RuntimeHarness.CreateAsync(reconcileTimeout: TimeSpan.FromMinutes(2));
        var calls = 0;
        h.Reconciler.Behaviour = async (_, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await RuntimeHarness.UntilCancelledAsync(ct);
            }
            return null;
        };
        await h.StartAsync();
        await h.CreateObjectAsync("iota");
        await RuntimeHarness.WaitUntilAsync(() => h.Controller.Queue.Processing().Count == 1 && calls == 1);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await RuntimeHarness.WaitUntilAsync(() => h.Controller.Queue.DelayedCount == 1, "requeued after the timeout");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("iota")).Status is not null, "the retry succeeded");
        Assert.Equal(1, h.Metric("controller_runtime_reconcile_errors_total"));
    }

    [Fact]
    public async Task An_unexpected_exception_is_caught_and_counted_as_a_panic()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        var calls = 0;
        h.Reconciler.Behaviour = (doc, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // A bug: labels are optional.
                _ = doc.Metadata.Labels!.Count;
            }
            ct.ThrowIfCancellationRequested();
            return Task.FromResult<ReconcileResult?>(null);
        };
        await h.StartAsync();
        await h.CreateObjectAsync("kappa");
        await RuntimeHarness.WaitUntilAsync(() => h.Metric("controller_runtime_reconcile_panics_total") == 1, "panic counted");
        await RuntimeHarness.WaitUntilAsync(() => h.Controller.Queue.DelayedCount == 1, "requeued");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await RuntimeHarness.WaitUntilAsync(async () => (await h.GetAsync("kappa")).Status is not null, "the workers survived");
    }

    [Fact]
    public async Task Stop_lets_in_flight_reconciles_finish_and_takes_no_new_work()
    {
        var h = await RuntimeHarness.CreateAsync(workers: 2);
        var release = new TaskCompletionSource();
        h.Reconciler.Behaviour = async (doc, _) =>
        {
            if (doc.Metadata.Name == "slow")
            {
                await release.Task;
            }
            return null;
        };
        await h.StartAsync();
        await h.CreateObjectAsync("slow");
        await RuntimeHarness.WaitUntilAsync(() => h.Controller.Queue.Processing().Contains("slow"));

        var stop = h.Controller.StopAsync(CancellationToken.None);
        await h.CreateObjectAsync("late");
        Assert.False(stop.IsCompleted);
        release.SetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull((await h.GetAsync("slow")).Status);
        Assert.Equal(0, h.Reconciler.Reconciles("late"));
        await h.DisposeAsync();
    }

    [Fact]
    public async Task Stop_cancels_in_flight_reconciles_after_the_grace_period()
    {
        var h = await RuntimeHarness.CreateAsync();
        var cancelled = false;
        // Signalled from inside the reconcile: the item being in the queue's processing set is not enough, as the stop
        // could then land while the finalizer is still being attached, before the reconcile (and its token) exists.
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Reconciler.Behaviour = async (_, ct) =>
        {
            entered.TrySetResult();
            try
            {
                await RuntimeHarness.UntilCancelledAsync(ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
            return null;
        };
        await h.StartAsync();
        await h.CreateObjectAsync("stuck");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var stop = h.Controller.StopAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(stop.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(cancelled);
        await h.DisposeAsync();
    }

    [Fact]
    public async Task Each_reconcile_has_a_span_linked_to_the_trace_on_the_document()
    {
        var spans = new RecordedSpans();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Telemetry.RuntimeTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await RuntimeHarness.CreateAsync();
        await h.StartAsync();
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await h.CreateObjectAsync("lambda", new Dictionary<string, string> { [RuntimeAnnotations.TraceParent] = traceParent });
        static bool IsLambda(Activity s) => (string?)s.GetTagItem("reconciler.object.name") == "lambda";
        await spans.WaitForAsync(IsLambda, TimeSpan.FromSeconds(30));
        var span = Assert.Single(spans.Snapshot(), IsLambda);
        Assert.Equal("reconcile PulumiPipeline", span.DisplayName);
        Assert.Equal("success", span.GetTagItem("reconciler.result"));
        Assert.Equal(1L, span.GetTagItem("reconciler.object.generation"));
        var link = Assert.Single(span.Links);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", link.Context.TraceId.ToHexString());
    }

    [Fact]
    public async Task A_thousand_objects_go_through_the_loop_once_each()
    {
        await using var h = await RuntimeHarness.CreateAsync();
        await h.StartAsync();
        for (var i = 0; i < 1_000; i++)
        {
            await h.CreateObjectAsync($"obj-{i:D4}");
        }
        await RuntimeHarness.WaitUntilAsync(() => h.StatusWriter.Writes == 1_000, "every object ready");
        await h.IdleAsync();
        Assert.Equal(1_000, h.Reconciler.TotalReconciles);
        var page = await h.Store.ListAsync(new Reconciler.Controller.Store.ListOptions(Limit: 1_000), default);
        Assert.All(page.Items, item =>
        {
            Assert.Equal(1, item.Status?.ObservedGeneration);
            Assert.True(Conditions.IsTrue(item.Status!.Conditions, ConditionTypes.Ready));
            Assert.Contains(RuntimeAnnotations.Finalizer, item.Metadata.Finalizers!);
        });
        Assert.Equal(1_000, h.Metric("controller_runtime_reconcile_total", "success"));
    }
}
