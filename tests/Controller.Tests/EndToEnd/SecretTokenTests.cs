using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>A spec whose Pulumi token is a Secrets Manager secret, against LocalCloud's Secrets Manager: checked by DescribeSecret, rendered as SECRETS_MANAGER.</summary>
public sealed class SecretTokenTests
{
    [Fact]
    public async Task A_spec_whose_token_secret_exists_becomes_Ready_with_a_SECRETS_MANAGER_variable()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        harness.Cloud.Server.State.AddSecret("ci/pulumi");
        await harness.CreateAsync(Sample("workflow-secret-token.json"));

        await harness.WaitForReadyAsync("billing");

        var project = harness.Cloud.Server.State.GetProject("billing-staging")!;
        var token = project["environment"]!["environmentVariables"]!.AsArray().Single(v => (string?)v!["name"] == "PULUMI_ACCESS_TOKEN")!;
        Assert.Equal("SECRETS_MANAGER", (string?)token["type"]);
        Assert.Equal("ci/pulumi:accessToken:AWSCURRENT", (string?)token["value"]);
        Assert.True(harness.Cloud.Server.Counters["SecretsManager.DescribeSecret"].Succeeded >= 1);
        Assert.Equal(0, harness.Cloud.Server.Counters["SSM.DescribeParameters"].Requests);
    }

    [Fact]
    public async Task A_spec_whose_token_secret_is_missing_is_Stalled_MissingTokenSecret_and_nothing_is_created()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        await harness.CreateAsync(Sample("workflow-secret-token.json"));

        var stalled = await harness.WaitForAsync("billing", d => Conditions.IsTrue(d.Status?.Conditions ?? [], ConditionTypes.Stalled), "Stalled");

        var condition = stalled.Status!.Conditions.Single(c => c.Type == ConditionTypes.Stalled);
        Assert.Equal(StatusReasons.MissingTokenSecret, condition.Reason);
        Assert.Contains("Secrets Manager has no readable secret ci/pulumi", condition.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Cloud.Server.State.ProjectNames);
    }
}
