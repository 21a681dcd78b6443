using System.CommandLine;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Templates;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler apply -f &lt;file|dir|-&gt;</c>: validates the whole set, then creates or updates each document.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "A document file, a directory of *.json documents, or - for stdin (repeatable).",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be created, configured or left unchanged; write nothing." };
        var store = new StoreOptions();
        var command = new Command("apply",
            "Validate every document first (nothing is written if any is invalid), then create or update each one. " +
            "An update keeps what the store owns (uid, status, finalizers) and bumps generation only when the spec changed (labels and annotations only move resourceVersion). " +
            ExitCodes.HelpText);
        command.Options.Add(files);
        command.Options.Add(dryRun);
        store.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            IReadOnlyList<(string Source, byte[] Bytes)> sources;
            try
            {
                sources = await DocumentSources.ReadAsync(parse.GetValue(files) ?? [], DocumentSources.OpenStandardInput, cancellationToken);
            }
            catch (FileNotFoundException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Failure;
            }
            if (sources.Count == 0)
            {
                await error.WriteLineAsync("error: no documents found (a directory is searched for *.json)");
                return ExitCodes.Failure;
            }
            var set = SpecSet.Validate(sources);
            if (!set.IsValid && !set.NamesUnknownTemplates)
            {
                return await ReportInvalidAsync(error, set);
            }
            // A commit's trace starts here when OTLP export is configured; the documents written carry its traceparent.
            using var telemetry = await TelemetryProviders.StartAsync(cancellationToken: cancellationToken);
            using var activity = CliTracing.StartApply(set.Documents.Count, parse.GetValue(dryRun));
            var options = new SpecApplyOptions { DryRun = parse.GetValue(dryRun), TraceParent = activity is { Recorded: true } ? activity.Id : null };
            var suffix = options.DryRun ? " (dry run)" : "";
            return await store.RunAsync(parse, async (specs, _) =>
            {
                var stored = (await specs.Templates.ListAsync(cancellationToken)).ToDictionary(t => t.Metadata.Name, StringComparer.Ordinal);
                if (!set.IsValid)
                {
                    // Some spec names a template the files do not hold: the stored ones may have it.
                    set = SpecSet.Validate(sources, stored);
                    if (!set.IsValid)
                    {
                        return await ReportInvalidAsync(error, set);
                    }
                }
                var collisions = DerivedNameCollision.Find(Effective(set, stored), await ListAllAsync(specs, cancellationToken));
                if (collisions.Count > 0)
                {
                    foreach (var collision in collisions)
                    {
                        var index = set.Documents.Select(d => d.Metadata.Name).ToList().IndexOf(collision.Spec);
                        await error.WriteLineAsync($"invalid: {set.Sources[index]}: $.spec.stages[{collision.StageIndex}].name: {collision}");
                    }
                    await error.WriteLineAsync($"error: nothing was applied: {collisions.Count} derived name collision(s)");
                    return ExitCodes.Failure;
                }
                try
                {
                    await foreach (var result in new SpecApplier(specs).ApplyAsync(set, options, cancellationToken))
                    {
                        await output.WriteLineAsync($"{result.Kind.ToLowerInvariant()}/{result.Name} {result.Outcome}{suffix}");
                    }
                }
                catch (Exception e) when (e is StoreConflictException or StoreAlreadyExistsException)
                {
                    await error.WriteLineAsync($"error: conflict: {e.Message}");
                    return ExitCodes.Failure;
                }
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ReportInvalidAsync(TextWriter error, SpecSet set)
    {
        foreach (var problem in set.Problems)
        {
            await error.WriteLineAsync($"invalid: {problem}");
        }
        await error.WriteLineAsync($"error: nothing was applied: {set.Summary}");
        return ExitCodes.Failure;
    }

    // Derived names come from the stages a spec ends up with, inherited ones included.
    private static List<PulumiPipeline> Effective(SpecSet set, Dictionary<string, PulumiPipelineTemplate> stored)
    {
        var templates = new Dictionary<string, PulumiPipelineTemplate>(stored, StringComparer.Ordinal);
        foreach (var template in set.Templates)
        {
            templates[template.Metadata.Name] = template;
        }
        return [.. set.Documents.Select(d => d.Spec.Template is { } name && templates.TryGetValue(name, out var template) ? TemplateMerge.Effective(d, template) : d)];
    }

    private static async Task<List<PulumiPipeline>> ListAllAsync(ISpecStore specs, CancellationToken cancellationToken)
    {
        var all = new List<PulumiPipeline>();
        string? next = null;
        do
        {
            var page = await specs.ListAsync(new ListOptions(ContinueToken: next), cancellationToken);
            all.AddRange(page.Items);
            next = page.ContinueToken;
        }
        while (next is not null);
        return all;
    }
}
