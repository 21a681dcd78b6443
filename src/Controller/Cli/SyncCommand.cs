using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Store;
using Reconciler.Controller.Sync;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler sync --repo --ref --path</c>: make the store match one revision of a config repository; <c>sync status</c> shows the record.</summary>
public static class SyncCommand
{
    public const int NoChange = 0;
    public const int Changes = 1;
    public const int Error = 2;

    private const int Answered = 100;

    public static Command Create()
    {
        var source = new SyncSourceOptions("");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the document changes (creates, field-level updates, prunes) and write nothing. Exit 0 no change, 1 changes, 2 error." };
        var live = new Option<bool>("--live") { Description = "With --dry-run: render each changed document and diff it against live AWS, as `reconciler diff` does." };
        var format = new Option<string?>("--output", "-o") { Description = "text (default) or markdown (a report for a pull-request check)." };
        var store = new StoreOptions();
        var aws = new AwsOptions();
        var command = new Command("sync",
            "Sync the store to one revision of a config repository (JSON or YAML documents, YAML streams too). The whole revision is validated " +
            "first and nothing is written unless all of it is valid; only documents this source owns are updated or pruned. " +
            "Exit codes: 0 synced or no change, 1 invalid revision, conflict, refused prune or failure, 2 usage; with --dry-run: 0 no change, 1 changes, 2 error.");
        source.AddTo(command);
        command.Options.Add(dryRun);
        command.Options.Add(live);
        command.Options.Add(format);
        store.AddTo(command);
        aws.AddTo(command);
        command.Subcommands.Add(StatusCommand());
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            SyncOptions options;
            string cacheDir;
            TimeSpan? interval;
            var preview = parse.GetValue(dryRun);
            var markdown = false;
            try
            {
                (options, cacheDir, interval) = source.Resolve(parse);
                markdown = (parse.GetValue(format) ?? "text") switch
                {
                    "text" => false,
                    "markdown" or "md" => true,
                    var other => throw new FormatException($"--output '{other}' is not text or markdown"),
                };
                if (parse.GetValue(live) && !preview)
                {
                    throw new FormatException("--live previews a dry run: add --dry-run");
                }
                if (preview && interval is not null)
                {
                    throw new FormatException("--dry-run runs once: leave out --interval");
                }
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return preview ? Error : ExitCodes.Usage;
            }
            AwsClients? clients = null;
            if (parse.GetValue(live) && (clients = await aws.CreateClientsAsync(parse, error)) is null)
            {
                return Error;
            }
            using (clients)
            {
                using var loggers = LoggerFactory.Create(builder => builder
                    .SetMinimumLevel(interval is null ? LogLevel.Warning : LogLevel.Information)
                    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; }));
                var exit = await store.RunAsync(parse, async (specs, location) =>
                {
                    var statuses = await SyncStatusStores.OpenAsync(location, cancellationToken);
                    var cache = new GitRepositoryCache(cacheDir, GitCredentials.FromEnvironment(), loggers.CreateLogger<GitRepositoryCache>());
                    var syncer = new Syncer(cache, specs, statuses, options, TimeProvider.System, loggers.CreateLogger<Syncer>());
                    if (interval is { } every)
                    {
                        var loop = new SyncLoop(syncer, every, TimeProvider.System, loggers.CreateLogger<SyncLoop>());
                        loop.Synced += result => Print(output, error, options.Source, result, dryRun: false, [], markdown).GetAwaiter().GetResult();
                        try
                        {
                            await loop.RunAsync(cancellationToken);
                        }
                        catch (OperationCanceledException)
                        {
                            // Ctrl-C or SIGTERM: the loop ends between syncs or stops one part-way, which the next run completes.
                        }
                        return Answered + ExitCodes.Ok;
                    }
                    var result = await syncer.SyncAsync(preview, cancellationToken);
                    var previews = clients is null || result.Plan is null ? [] : await LiveAsync(result.Plan, clients, cancellationToken);
                    await Print(output, error, options.Source, result, preview, previews, markdown);
                    if (preview)
                    {
                        var failed = !result.Succeeded || previews.Any(p => p.Lines.Any(l => l.StartsWith("error:", StringComparison.Ordinal)));
                        return Answered + (failed ? Error : result.Outcome == SyncOutcome.Applied ? Changes : NoChange);
                    }
                    return Answered + (result.Succeeded ? ExitCodes.Ok : ExitCodes.Failure);
                }, cancellationToken);
                // The store binder answers 1 or 2 for its own failures, and 1 means "changes" for a dry run: the body's
                // answers travel shifted by Answered, anything else is a store or usage error.
                return exit >= Answered ? exit - Answered : preview ? Error : exit;
            }
        });
        return command;
    }

    /// <summary>What each changed document would do in live AWS: the diff's lines for creates and updates, the recorded resources for prunes.</summary>
    public static async Task<IReadOnlyList<SyncReport.LivePreview>> LiveAsync(SyncPlan plan, AwsClients clients, CancellationToken cancellationToken)
    {
        var previews = new List<SyncReport.LivePreview>();
        foreach (var change in plan.Changes)
        {
            switch (change.Action)
            {
                case SyncAction.Create or SyncAction.Update or SyncAction.Adopt:
                    // As the controller will see it: the stored uid (ownership tags) and status (inventory) with the new spec.
                    var document = change.Desired! with
                    {
                        Metadata = change.Desired!.Metadata with { Uid = change.Current?.Metadata.Uid, Generation = change.Current?.Metadata.Generation ?? 0 },
                        Status = change.Current?.Status,
                    };
                    try
                    {
                        var diff = await DiffCommand.PlanAsync(document, clients, cancellationToken);
                        previews.Add(new SyncReport.LivePreview(change.Name, DiffReport.Lines(diff)));
                    }
                    catch (Exception e) when (AwsOptions.IsLiveReadFailure(e))
                    {
                        previews.Add(new SyncReport.LivePreview(change.Name, [$"error: reading live state: {e.Message}"]));
                    }
                    break;
                case SyncAction.Prune:
                    previews.Add(new SyncReport.LivePreview(change.Name, SyncReport.PruneEffect(change.Current!)));
                    break;
            }
        }
        return previews;
    }

    private static async Task Print(TextWriter output, TextWriter error, GitSource source, SyncResult result, bool dryRun, IReadOnlyList<SyncReport.LivePreview> live, bool markdown)
    {
        if (markdown)
        {
            await output.WriteAsync(SyncReport.Markdown(source, result, live));
            return;
        }
        foreach (var line in SyncReport.Text(source, result, dryRun, live))
        {
            await output.WriteLineAsync(line);
        }
        var prefix = result.Outcome == SyncOutcome.Invalid ? "invalid" : "error";
        foreach (var problem in result.Errors)
        {
            await error.WriteLineAsync($"{prefix}: {problem}");
        }
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"error: sync of {source.Id} {Describe(result.Outcome)}{(result.Revision is null ? "" : $" at {result.Revision}")}; nothing was written");
        }
    }

    private static string Describe(SyncOutcome outcome) => outcome switch
    {
        SyncOutcome.Invalid => "found an invalid revision",
        SyncOutcome.Conflict => "found documents it does not own",
        SyncOutcome.PruneRefused => "refused to prune",
        _ => "failed",
    };

    private static Command StatusCommand()
    {
        var format = new Option<string?>("--output", "-o") { Description = "text (default) or json." };
        var store = new StoreOptions();
        var command = new Command("status", "Show the sync status of every source: revisions, Ready/Stalled, inventory and recent history. Exit 0; 1 when none is recorded.");
        command.Options.Add(format);
        store.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var json = (parse.GetValue(format) ?? "text") switch
            {
                "text" => false,
                "json" => true,
                var other => (bool?)null,
            };
            if (json is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: --output '{parse.GetValue(format)}' is not text or json");
                return ExitCodes.Usage;
            }
            return await store.RunAsync(parse, async (_, location) =>
            {
                var statuses = await (await SyncStatusStores.OpenAsync(location, cancellationToken)).ListAsync(cancellationToken);
                if (json == true)
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(statuses.ToList(), new SyncJsonContext(new JsonSerializerOptions(SyncJsonContext.Default.Options) { WriteIndented = true }).ListSyncStatus));
                }
                else
                {
                    foreach (var status in statuses)
                    {
                        foreach (var line in StatusLines(status))
                        {
                            await output.WriteLineAsync(line);
                        }
                    }
                }
                if (statuses.Count == 0)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"no sync status recorded in {location}");
                    return ExitCodes.Failure;
                }
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>The text form of one source's status.</summary>
    public static IReadOnlyList<string> StatusLines(SyncStatus status)
    {
        var lines = new List<string>
        {
            $"Source:          {status.Source}",
            $"Ref:             {status.Ref}",
            $"Last applied:    {status.LastAppliedRevision ?? "(none)"}",
            $"Last attempted:  {status.LastAttemptedRevision ?? "(none)"}",
        };
        if (status.InProgress is { } pending)
        {
            lines.Add($"In progress:     {pending.Revision} since {pending.StartedAt.ToString("u", CultureInfo.InvariantCulture)} (the next sync completes it)");
        }
        lines.Add("Conditions:");
        lines.AddRange(status.Conditions.Select(c => $"  {c.Type,-8} {c.Status,-6} {c.Reason}{(c.Message.Length > 0 ? ": " + c.Message : "")}"));
        lines.Add($"Inventory:       {status.Inventory.Count} document(s)");
        lines.Add("History:");
        lines.Add("  REVISION      RESULT        FINISHED              SECONDS  CREATED  UPDATED  PRUNED  UNCHANGED");
        lines.AddRange(status.History.Select(h => string.Create(CultureInfo.InvariantCulture,
            $"  {(h.Revision.Length > 12 ? h.Revision[..12] : h.Revision),-12}  {h.Result,-12}  {h.FinishedAt:u}  {h.DurationSeconds,7:0.###}  {h.Created,7}  {h.Updated,7}  {h.Pruned,6}  {h.Unchanged,9}")));
        lines.Add("");
        return lines;
    }
}
