using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Web;
using Reconciler.Tests.Shared;

using Reconciler.Controller.Engines.Pulumi;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>The README's options table of <c>reconciler run</c> against the command itself: every option, its variables, its one default.</summary>
public sealed partial class ReadmeOptionsTests
{
    private sealed record Row(IReadOnlyList<string> Options, IReadOnlyList<string> Variables, string Default)
    {
        public string Meaning { get; init; } = "";
    }

    private static IReadOnlyList<Row> Table()
    {
        var lines = File.ReadAllLines(RepositoryPaths.Combine("README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("## Configuration (`reconciler run`)", StringComparison.Ordinal));
        Assert.True(start >= 0, "README has no options table of reconciler run");
        return lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).Skip(2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => Regex.Split(l.Trim('|'), @"(?<!\\)\|").Select(c => c.Trim()).ToArray())
            .Select(cells => new Row(
                [.. OptionName().Matches(cells[0]).Select(m => m.Value)],
                [.. Variable().Matches(cells[1]).Select(m => m.Value)],
                cells[2].Replace("`", "", StringComparison.Ordinal)) { Meaning = cells.Length > 3 ? cells[3] : "" })
            .ToList();
    }

    private static IReadOnlyList<System.CommandLine.Option> RunOptions() =>
        CommandLineApp.Build().Subcommands.Single(c => c.Name == "run").Options.Where(o => o.Name is not ("--help" or "--version")).ToList();

    // The one default of each setting, read from the code that applies it.
    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["--store"] = $"sqlite:{SqliteStoreOptions.DefaultPath}",
        ["--aws-rate-limit"] = $"{new AwsRateLimitSettings().PermitsPerSecond}",
        ["--workers"] = $"{RuntimeDefaults.Workers}",
        ["--batch-window"] = Settings.FormatDuration(PipelineControllerOptions.DefaultBatchWindow),
        ["--resync-period"] = Settings.FormatDuration(RuntimeDefaults.ResyncPeriod),
        ["--engine"] = EngineRegistry.DefaultEngine,
        ["--pulumi-cli"] = PulumiEngineDefinition.Cli.Default!,
        ["--pulumi-workdir"] = PulumiEngineDefinition.WorkDir.Default!,
        ["--pulumi-concurrency"] = PulumiEngineDefinition.Concurrency.Default!,
        ["--pulumi-cancel-stale-locks"] = PulumiEngineDefinition.CancelStaleLocks.Default!,
        ["--shards"] = $"{RuntimeDefaults.Shards}",
        ["--health-port"] = $"{WebServerOptions.DefaultPort}, {WebServerOptions.DefaultBindAddress}",
        ["--skip-token-check"] = "false",
        ["--log-level"] = $"{LogLevel.Information}",
        ["--status-port"] = $"{StatusPageOptions.DefaultPort}, {new StatusPageOptions().BindAddress}",
    };

    [Fact]
    public void Every_option_of_run_has_a_row_and_every_row_names_options_of_run()
    {
        var documented = Table().SelectMany(r => r.Options).ToHashSet(StringComparer.Ordinal);
        var actual = RunOptions().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(actual.Except(documented).Order(StringComparer.Ordinal));
        Assert.Empty(documented.Except(actual).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_rows_variables_are_the_ones_its_options_read()
    {
        var options = RunOptions().ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var row in Table())
        {
            var help = string.Join(" ", row.Options.Select(o => options[o].Description));
            Assert.All(row.Variables, v => Assert.True(help.Contains(v, StringComparison.Ordinal), $"{string.Join(", ", row.Options)}: {v} is not in its --help"));
        }
    }

    [Fact]
    public void Each_default_in_the_table_is_the_one_the_code_applies()
    {
        foreach (var row in Table())
        {
            var expected = Defaults.GetValueOrDefault(row.Options[0]);
            Assert.True(expected is null ? row.Default is "" or "AWS" : row.Default == expected,
                $"{row.Options[0]}: the README says '{row.Default}', the code '{expected ?? "(none)"}'");
        }
    }

    [Theory]
    [InlineData("--workers", 1, RuntimeDefaults.MaxWorkers)]
    [InlineData("--shards", 0, RuntimeDefaults.MaxShards)]
    public void The_bounds_in_the_table_are_the_ones_run_enforces(string option, int lowest, int highest)
    {
        var row = Table().Single(r => r.Options.Contains(option));
        Assert.Contains($"{lowest} to {highest}", row.Meaning, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"\b(RECONCILER|AWS)_[A-Z_]+[A-Z]\b")]
    private static partial Regex Variable();
}
