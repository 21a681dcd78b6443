using System.Text.Json.Nodes;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Tests.Shared;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>
/// Specs that name a PulumiPipelineTemplate, against LocalCloud: the controller renders the effective spec, a
/// template change converges every dependent through the template watch, and a missing template stalls a spec until
/// it is created.
/// </summary>
public sealed class TemplateLifecycleTests
{
    private static readonly PipelineControllerOptions Options = new()
    {
        Workers = 4,
        BatchWindow = TimeSpan.FromMilliseconds(5),
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        TemplatePollInterval = TimeSpan.FromMilliseconds(50),
        TemplateFanOutRate = 20,
        TemplateFanOutBurst = 1,
    };

    private static PulumiPipelineTemplate StandardService(Func<JsonObject, JsonObject>? change = null)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "templates", "standard-service.json");
        var (errors, template) = SpecValidator.ValidateTemplate(path, File.ReadAllText(path));
        Assert.Empty(errors);
        return change is null ? template! : template! with { Spec = change((JsonObject)template.Spec.DeepClone()) };
    }

    private static PulumiPipeline Orders(string name)
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "templates", "orders.json");
        var result = SpecValidator.Validate(path, File.ReadAllText(path), new Dictionary<string, PulumiPipelineTemplate> { ["standard-service"] = StandardService() });
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return Named(result.Document!, name);
    }

    private static int Timeout(ControllerHarness harness, string project) =>
        (int)harness.Cloud.Server.State.GetProject(project)!["timeoutInMinutes"]!;

    [Fact]
    public async Task A_template_change_converges_every_spec_that_names_it_and_no_other()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite, options: Options);
        await harness.Store.Templates.CreateAsync(StandardService(), CancellationToken.None);
        string[] dependents = ["orders-a", "orders-b", "orders-c"];
        foreach (var name in dependents)
        {
            await harness.CreateAsync(Orders(name));
        }
        await harness.CreateAsync(Sample("website.json"));
        foreach (var name in dependents)
        {
            var ready = await harness.WaitForReadyAsync(name);
            Assert.Equal("standard-service@1", ready.Status!.ObservedTemplate);
            // The effective spec: the template's timeout and environment, the spec's compute and its own refresh stage.
            Assert.Equal(45, Timeout(harness, $"{name}-staging"));
            Assert.Equal("BUILD_GENERAL1_LARGE", (string?)harness.Cloud.Server.State.GetProject($"{name}-refresh")!["environment"]!["computeType"]);
            Assert.Null(harness.Cloud.Server.State.GetProject($"{name}-production"));
        }
        await harness.WaitForReadyAsync("website");
        var websiteVersion = (await harness.Store.GetAsync("website", CancellationToken.None))!.Metadata.ResourceVersion;

        var stored = (await harness.Store.Templates.GetAsync("standard-service", CancellationToken.None))!;
        await harness.Store.Templates.UpdateAsync(StandardService(spec =>
        {
            spec["build"]!["timeoutMinutes"] = 30;
            return spec;
        }) with { Metadata = stored.Metadata }, CancellationToken.None);

        foreach (var name in dependents)
        {
            var converged = await harness.WaitForAsync(name, d => d.Status?.ObservedTemplate == "standard-service@2" && IsReady(d), "Ready with the template's generation 2");
            // The template says driftPolicy Detect: a template change taken for drift would not have been applied.
            Assert.Equal(30, Timeout(harness, $"{name}-staging"));
            Assert.Equal(30, Timeout(harness, $"{name}-refresh"));
            Assert.Equal(1, converged.Metadata.Generation);
            Assert.Equal(ConditionStatus.False, Condition(converged, ConditionTypes.Drifted).Status);
        }
        Assert.Equal(websiteVersion, (await harness.Store.GetAsync("website", CancellationToken.None))!.Metadata.ResourceVersion);
        Assert.Equal(dependents, harness.Controller.Dependents.Of("standard-service"));
    }

    [Fact]
    public async Task A_spec_whose_template_is_missing_is_Stalled_MissingTemplate_until_the_template_is_created()
    {
        await using var harness = await ControllerHarness.StartAsync(StoreKind.Sqlite, options: Options);
        await harness.CreateAsync(Orders("orders"));

        var stalled = await harness.WaitForAsync("orders", d => d.Status?.Phase == StatusPhases.Stalled, "Stalled");
        var condition = Condition(stalled, ConditionTypes.Stalled);
        Assert.Equal(StatusReasons.MissingTemplate, condition.Reason);
        Assert.Contains("no PulumiPipelineTemplate named \"standard-service\" exists", condition.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Cloud.Server.State.ProjectNames);

        await harness.Store.Templates.CreateAsync(StandardService(), CancellationToken.None);

        var ready = await harness.WaitForReadyAsync("orders");
        Assert.Equal("standard-service@1", ready.Status!.ObservedTemplate);
        Assert.Equal(["orders-preview", "orders-refresh", "orders-staging"], harness.Cloud.Server.State.ProjectNames.Order());
    }
}
