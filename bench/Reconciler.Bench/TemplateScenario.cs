using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Bench;

/// <summary>
/// A template change fanned out to its dependents: <c>samples/templates/standard-service.json</c> and N specs shaped like
/// <c>orders.json</c> that name it converge on LocalCloud (its own process); then the template's build image changes,
/// and the bench times how long until every dependent is Ready on the template's new generation, with the API calls
/// that took. The fan-out goes through the work queue's bucket (TemplateFanOutBurst, then TemplateFanOutRate a second).
/// </summary>
internal static class TemplateScenario
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var templatePath = Path.Combine(RepositoryPaths.Root, "samples", "templates", "standard-service.json");
        var (problems, template) = SpecValidator.ValidateTemplate(templatePath, File.ReadAllText(templatePath));
        if (template is null)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }
        var dependentText = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "templates", "orders.json"));
        var dependent = JsonSerializer.Deserialize(dependentText, ModelJsonContext.Default.PulumiPipeline)!;

        var work = Directory.CreateTempSubdirectory("reconciler-bench-template-");
        try
        {
            await using var cloud = await LocalCloudProcess.StartAsync([(string)template.Spec["pulumi"]!["accessTokenParameter"]!], cancellationToken);
            var clientOptions = EmbeddedCloud.ClientOptionsFor(cloud.Endpoint);
            using var clients = new AwsClients(clientOptions, null, environment: _ => null);
            await using var store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(work.FullName, "bench.db") }, cancellationToken: cancellationToken);
            var options = new PipelineControllerOptions { Workers = 16 };
            Console.WriteLine($"template bench: {Environment.ProcessorCount} cores, {count} specs naming one template, 16 workers, SQLite, LocalCloud in its own process, direct engine; " +
                $"fan-out {options.TemplateFanOutBurst} at once then {options.TemplateFanOutRate}/s; {ControllerScenario.DescribeClients(clientOptions)}");

            var stored = await store.Templates.CreateAsync(template, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                await store.CreateAsync(dependent with { Metadata = dependent.Metadata with { Name = $"svc{i:D4}" } }, cancellationToken);
            }
            var (host, controller) = ControllerScenario.NewController(store, clients, options);
            await using (host)
            {
                var cold = Stopwatch.StartNew();
                await ControllerScenario.StartAsync(host, cancellationToken);
                await ControllerScenario.WaitReadyAsync(store, controller, count, cancellationToken);
                Console.WriteLine($"{count} dependents Ready in {cold.Elapsed.TotalSeconds:0.00} s (cold)");

                await cloud.ResetCountersAsync(cancellationToken);
                var change = Stopwatch.StartNew();
                var spec = (JsonObject)stored.Spec.DeepClone();
                spec["build"]!["image"] = "aws/codebuild/standard:8.0";
                var changed = await store.Templates.UpdateAsync(stored with { Spec = spec }, cancellationToken);
                var wanted = $"{changed.Metadata.Name}@{changed.Metadata.Generation}";
                while (await OnAsync(store, wanted, cancellationToken) < count)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                }
                change.Stop();
                await ControllerScenario.WaitIdleAsync(controller, cancellationToken);
                var calls = await cloud.RequestsAsync(cancellationToken);
                Console.WriteLine($"template change ({wanted}, a new build image): every dependent Ready on it in {change.Elapsed.TotalSeconds:0.00} s; " +
                    $"{calls.Values.Sum():N0} API calls: {ControllerScenario.ByOperation(calls)}");
                await host.StopAsync(cancellationToken);
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // Dependents Ready on the template generation the change made.
    private static async Task<int> OnAsync(ISpecStore store, string templateRef, CancellationToken cancellationToken)
    {
        var on = 0;
        string? next = null;
        do
        {
            var page = await store.ListAsync(new ListOptions(1000, next), cancellationToken);
            on += page.Items.Count(d => d.Status is { } s && s.ObservedTemplate == templateRef && Conditions.IsTrue(s.Conditions, ConditionTypes.Ready));
            next = page.ContinueToken;
        }
        while (next is not null);
        return on;
    }
}
