using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.LocalCloud.Faults;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>Convergence when the cloud throttles and when the controller itself is cut off mid-apply.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Under_thirty_percent_injected_throttling_every_spec_converges()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite, faults: FaultSettings.Everywhere(throttleRatio: 0.3, seed: 7));
        var names = Enumerable.Range(1, 6).Select(i => $"app{i}").ToList();
        foreach (var name in names)
        {
            await harness.CreateAsync(Named(Sample(name == "app6" ? "payments-pipeline.json" : "website.json"), name));
        }

        foreach (var name in names)
        {
            await harness.WaitForReadyAsync(name);
        }

        var counters = harness.Cloud.Server.Counters.Snapshot();
        Assert.True(counters.Values.Sum(c => c.Throttled) > 0, "no request was throttled");
        Assert.Equal(5 * 3 + 3, harness.Cloud.Server.State.ProjectNames.Count);
        Assert.Single(harness.Cloud.Server.State.PipelineNames);
    }

    [Fact]
    public async Task A_controller_cancelled_mid_apply_and_started_again_converges_with_no_duplicate_and_no_orphan()
    {
        // Webhook creation is held on LocalCloud's clock, which only this test moves: the restart lands while a webhook
        // is held, after the projects before it were created.
        var cloudTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var heldWebhooks = new FaultSettings([new FaultRule("CodeBuild.CreateWebhook", LatencyMs: 60_000)]);
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite, faults: heldWebhooks, options: new PipelineControllerOptions
        {
            Workers = 2,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            ShutdownTimeout = TimeSpan.Zero,
        }, cloudTime: cloudTime);
        await harness.CreateAsync(Named(Sample("website.json"), "cut"));
        await harness.Cloud.Server.Faults.Holds.WhenHeldAsync("CodeBuild.CreateWebhook", 1).WaitAsync(Patience);

        // Mid-apply: of the plan's six calls (three projects, three webhooks) some are done, not all.
        var projectsBefore = harness.Cloud.Server.Counters["CodeBuild.CreateProject"].Succeeded;
        Assert.InRange(projectsBefore, 1, 3);
        Assert.Equal(0, harness.Cloud.Server.Counters["CodeBuild.CreateWebhook"].Succeeded);
        Assert.True(harness.Cloud.Server.Faults.Holds.Held("CodeBuild.CreateWebhook") >= 1, "the restart must land while a webhook is being created");
        Assert.NotEqual(StatusPhases.Ready, (await harness.Store.GetAsync("cut", CancellationToken.None))?.Status?.Phase);

        await harness.RestartAsync();
        harness.Cloud.Server.SetFaults(FaultSettings.None);
        // Lets go of whatever the cut-off run left held (its requests were aborted with it).
        cloudTime.Advance(TimeSpan.FromMinutes(1));
        var ready = await harness.WaitForReadyAsync("cut");

        Assert.Equal(["cut-preview", "cut-production", "cut-staging"], harness.Cloud.Server.State.ProjectNames.Order(StringComparer.Ordinal));
        Assert.All(harness.Cloud.Server.State.ProjectNames, p => Assert.NotNull(harness.Cloud.Server.State.GetProject(p)!["webhook"]));
        Assert.Equal(6, ready.Status!.Resources.Count);
        Assert.Equal(3, harness.Cloud.Server.Counters["CodeBuild.CreateProject"].Succeeded);
    }
}
