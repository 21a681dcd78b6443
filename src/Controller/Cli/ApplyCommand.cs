using System.CommandLine;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
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
            "An update keeps what the store owns (uid, status, finalizers) and bumps generation only when spec, labels or annotations changed. " +
            ExitCodes.HelpText);
        command.Options.Add(files);
        command.Options.Add(dryRun);
        store.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            IReadOnlyList<(string Source, string Text)> sources;
            try
            {
                sources = await DocumentSources.ReadAsync(parse.GetValue(files) ?? [], Console.In, cancellationToken);
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
            var results = sources.Select(s => SpecValidator.Validate(s.Source, s.Text)).ToList();
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
            // A commit's trace starts here when OTLP export is configured; the documents written carry its traceparent.
            using var telemetry = await TelemetryProviders.StartAsync(cancellationToken: cancellationToken);
            using var activity = CliTracing.StartApply(results.Count, suffix.Length > 0);
            return await store.RunAsync(parse, async (specs, _) =>
            {
                foreach (var applied in results.Select(r => r.Document!))
                {
                    var document = CliTracing.WithTraceParent(applied, activity);
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
                        else if (ObjectLifecycle.ForUpdate(current, CliTracing.WithTraceParentOf(applied, current)).Kind == StoreTransitionKind.Unchanged)
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
}
