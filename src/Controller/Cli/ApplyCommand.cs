using System.CommandLine;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Validation;

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
            var results = sources.Select(s => SpecValidator.Validate(s.Source, s.Bytes)).ToList();
            var problems = results.SelectMany(r => r.Errors).Select(e => e.ToString()).ToList();
            foreach (var duplicate in results.Where(r => r.IsValid && r.Document is not null).GroupBy(r => r.Document!.Metadata.Name).Where(g => g.Count() > 1))
            {
                problems.Add($"{string.Join(", ", duplicate.Select(r => r.Source))}: $.metadata.name: '{duplicate.Key}' is declared more than once");
            }
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await error.WriteLineAsync($"invalid: {problem}");
                }
                var invalid = results.Count(r => !r.IsValid);
                await error.WriteLineAsync($"error: nothing was applied: {problems.Count} problem(s) in {Math.Max(invalid, 1)} of {results.Count} document(s)");
                return ExitCodes.Failure;
            }
            var suffix = parse.GetValue(dryRun) ? " (dry run)" : "";
            return await store.RunAsync(parse, async (specs, _) =>
            {
                var collisions = DerivedNameCollision.Find(results.Select(r => r.Document!).ToList(), await ListAllAsync(specs, cancellationToken));
                if (collisions.Count > 0)
                {
                    foreach (var collision in collisions)
                    {
                        var source = results.First(r => r.Document!.Metadata.Name == collision.Spec).Source;
                        await error.WriteLineAsync($"invalid: {source}: $.spec.stages[{collision.StageIndex}].name: {collision}");
                    }
                    await error.WriteLineAsync($"error: nothing was applied: {collisions.Count} derived name collision(s)");
                    return ExitCodes.Failure;
                }
                foreach (var document in results.Select(r => r.Document!))
                {
                    var name = document.Metadata.Name;
                    try
                    {
                        var current = await specs.GetAsync(name, cancellationToken);
                        string outcome;
                        if (current is null)
                        {
                            if (suffix.Length == 0)
                            {
                                await specs.CreateAsync(document, cancellationToken);
                            }
                            outcome = "created";
                        }
                        else if (ObjectLifecycle.ForUpdate(current, document).Kind == StoreTransitionKind.Unchanged)
                        {
                            outcome = "unchanged";
                        }
                        else
                        {
                            if (suffix.Length == 0)
                            {
                                await specs.UpdateAsync(document with { Metadata = document.Metadata with { ResourceVersion = current.Metadata.ResourceVersion } }, cancellationToken);
                            }
                            outcome = "configured";
                        }
                        await output.WriteLineAsync($"pulumipipeline/{name} {outcome}{suffix}");
                    }
                    catch (Exception e) when (e is StoreConflictException or StoreAlreadyExistsException)
                    {
                        await error.WriteLineAsync($"error: conflict: {e.Message}");
                        return ExitCodes.Failure;
                    }
                }
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
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
