using System.CommandLine;
using System.Globalization;
using Reconciler.Controller.Sync;

namespace Reconciler.Controller.Cli;

/// <summary>
/// The options naming a sync source and its rules, shared by <c>sync</c> (<c>--repo</c>, ...) and <c>run</c>
/// (<c>--sync-repo</c>, ...), each falling back to its <c>RECONCILER_SYNC_*</c> environment variable.
/// </summary>
public sealed class SyncSourceOptions
{
    public const string RepoVariable = "RECONCILER_SYNC_REPO";
    public const string RefVariable = "RECONCILER_SYNC_REF";
    public const string PathVariable = "RECONCILER_SYNC_PATH";
    public const string IntervalVariable = "RECONCILER_SYNC_INTERVAL";
    public const string CacheVariable = "RECONCILER_SYNC_CACHE_DIR";
    public const string AdoptVariable = "RECONCILER_SYNC_ADOPT";
    public const string ForceVariable = "RECONCILER_SYNC_FORCE";
    public const string MaxPruneVariable = "RECONCILER_SYNC_MAX_PRUNE";
    public const string WebhookSecretVariable = "RECONCILER_SYNC_WEBHOOK_SECRET";
    public const string DefaultRef = "main";
    public static readonly string DefaultCache = System.IO.Path.Combine(".reconciler", "git-cache");

    public SyncSourceOptions(string prefix)
    {
        Repo = new($"--{prefix}repo") { Description = $"The config repository: an https:// or ssh:// URL, file:// or a local path. Env: {RepoVariable}." };
        Ref = new($"--{prefix}ref") { Description = $"Branch, tag or commit to follow (default {DefaultRef}). Env: {RefVariable}." };
        Path = new($"--{prefix}path") { Description = $"Directory of the repository holding the documents (default: its root). Env: {PathVariable}." };
        Interval = new($"--{prefix}interval") { Description = $"Sync again every interval, e.g. 1m. Env: {IntervalVariable}." };
        Cache = new($"--{prefix}cache-dir") { Description = $"Where clones are kept (default {DefaultCache}). Env: {CacheVariable}." };
        Adopt = new($"--{prefix}adopt") { Description = $"Take over documents of the same name created by hand or by another source. Env: {AdoptVariable}." };
        Force = new($"--{prefix}force") { Description = $"Prune past the guardrail (more than --{prefix}max-prune, or every owned document). Env: {ForceVariable}." };
        MaxPrune = new($"--{prefix}max-prune") { Description = $"Largest share of owned documents one sync may prune, in percent (default 50). Env: {MaxPruneVariable}." };
    }

    public Option<string?> Repo { get; }
    public Option<string?> Ref { get; }
    public Option<string?> Path { get; }
    public Option<string?> Interval { get; }
    public Option<string?> Cache { get; }
    public Option<bool?> Adopt { get; }
    public Option<bool?> Force { get; }
    public Option<int?> MaxPrune { get; }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Repo, Ref, Path, Interval, Cache, Adopt, Force, MaxPrune })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The repository setting (null: no sync configured).</summary>
    public string? RepositoryOf(ParseResult parse) => Settings.GetText(parse, Repo, RepoVariable, null);

    /// <exception cref="FormatException">A value does not parse or is out of range; the message names the option or variable.</exception>
    public (SyncOptions Options, string CacheDir, TimeSpan? Interval) Resolve(ParseResult parse)
    {
        var repository = RepositoryOf(parse) ?? throw new FormatException($"{Repo.Name} (or {RepoVariable}) is required");
        var source = new GitSource(repository, Settings.GetText(parse, Ref, RefVariable, DefaultRef)!, Settings.GetText(parse, Path, PathVariable, "")!);
        var maxPrune = Settings.Get(parse, MaxPrune, MaxPruneVariable, Settings.ParseInt, 50);
        if (maxPrune is < 0 or > 100)
        {
            throw new FormatException($"{MaxPrune.Name} ({MaxPruneVariable}) must be a percentage from 0 to 100, not {maxPrune.ToString(CultureInfo.InvariantCulture)}");
        }
        var interval = Settings.Parse<TimeSpan?>(parse, Interval, IntervalVariable, text => Settings.ParseDuration(text), null);
        if (interval is { } every && every <= TimeSpan.Zero)
        {
            throw new FormatException($"{Interval.Name} ({IntervalVariable}) must be longer than zero");
        }
        var options = new SyncOptions(source,
            Adopt: Settings.Get(parse, Adopt, AdoptVariable, Settings.ParseBool, false),
            Force: Settings.Get(parse, Force, ForceVariable, Settings.ParseBool, false),
            MaxPruneShare: maxPrune / 100.0);
        return (options, Settings.GetText(parse, Cache, CacheVariable, DefaultCache)!, interval);
    }
}
