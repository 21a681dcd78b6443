using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.EndToEnd;
using Reconciler.LocalCloud;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

/// <summary><c>diff</c> of a templated spec compares its effective spec (merged onto the stored template) with the live resources.</summary>
public sealed class DiffTemplateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Diff_merges_a_stored_or_file_spec_onto_the_stored_template_and_a_missing_template_is_exit_2()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite);
        var templateFile = RepositoryPaths.Combine("samples", "templates", "standard-service.json");
        var ordersFile = RepositoryPaths.Combine("samples", "templates", "orders.json");
        var (_, template) = SpecValidator.ValidateTemplate("standard-service.json", File.ReadAllText(templateFile));
        await harness.Store.Templates.CreateAsync(template!, None);
        var templates = new Dictionary<string, PulumiPipelineTemplate>(StringComparer.Ordinal) { ["standard-service"] = template! };
        await harness.CreateAsync(SpecValidator.Validate("orders.json", File.ReadAllText(ordersFile), templates).Document!);
        await harness.WaitForReadyAsync("orders");
        await harness.StopAsync();
        string[] Args(string target) => ["diff", target, "--store", harness.StoreArgument, "--aws-endpoint-url", harness.Cloud.Server.Endpoint.ToString(), "--aws-region", "us-east-1"];
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
        };

        var stored = await ReconcilerProcess.RunAsync(Args("orders"), environment);
        Assert.True(stored.ExitCode == 0, stored.ToString());
        Assert.Contains("► CodeBuildProject/orders-staging in sync", stored.Output, StringComparison.Ordinal);

        // The file alone names a template it does not hold: the stored one completes it.
        var fromFile = await ReconcilerProcess.RunAsync(Args(ordersFile), environment);
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());

        // The template's image changes in the store: the live projects now differ from the effective spec.
        var current = await harness.Store.Templates.GetAsync("standard-service", None);
        var spec = current!.Spec.DeepClone().AsObject();
        spec["build"]!["image"] = "aws/codebuild/standard:8.0";
        await harness.Store.Templates.UpdateAsync(current with { Spec = spec }, None);
        var changed = await ReconcilerProcess.RunAsync(Args("orders"), environment);
        Assert.True(changed.ExitCode == 1, changed.ToString());
        Assert.Contains("\"aws/codebuild/standard:7.0\" → \"aws/codebuild/standard:8.0\"", changed.Output, StringComparison.Ordinal);

        await harness.Store.Templates.DeleteAsync("standard-service", null, None);
        var missing = await ReconcilerProcess.RunAsync(Args("orders"), environment);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("spec 'orders' names template 'standard-service', which is not in", missing.Error, StringComparison.Ordinal);
        var missingFromFile = await ReconcilerProcess.RunAsync(Args(ordersFile), environment);
        Assert.True(missingFromFile.ExitCode == 2, missingFromFile.ToString());
        Assert.Contains("spec 'orders' names template 'standard-service', which is not in", missingFromFile.Error, StringComparison.Ordinal);
    }
}
