using Reconciler.Controller.Store;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>The review-stack sample against LocalCloud: its project carries the buildspec that deploys or destroys per pull request, and its webhook both filter groups.</summary>
public sealed class ReviewStackTests
{
    [Fact]
    public async Task A_review_stage_converges_to_a_project_whose_webhook_builds_on_open_and_on_merge_or_close()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await harness.CreateAsync(Sample("workflow-review-stacks.json"));

        await harness.WaitForReadyAsync("storefront");

        var project = harness.Cloud.Server.State.GetProject("storefront-review")!;
        var groups = project["webhook"]!["filterGroups"]!.AsArray()
            .Select(g => string.Join(" ", g!.AsArray().Select(f => $"{f!["type"]}={f["pattern"]}")))
            .ToList();
        Assert.Equal(
            [
                "EVENT=PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED BASE_REF=^refs/heads/main$",
                "EVENT=PULL_REQUEST_MERGED,PULL_REQUEST_CLOSED BASE_REF=^refs/heads/main$",
            ],
            groups);
        var buildspec = (string)project["source"]!["buildspec"]!;
        Assert.Contains("pulumi stack init \"$REVIEW_STACK\" --copy-config-from acme/storefront/staging", buildspec, StringComparison.Ordinal);
        Assert.Contains("pulumi stack rm \"$REVIEW_STACK\" --yes", buildspec, StringComparison.Ordinal);
    }
}
