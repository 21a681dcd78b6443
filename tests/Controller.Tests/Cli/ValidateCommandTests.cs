using System.CommandLine;
using System.Text.Json;
using Reconciler.Controller.Cli;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

public class ValidateCommandTests
{
    public static TheoryData<string> InvalidSamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Combine("samples", "invalid"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public async Task Each_invalid_sample_prints_exactly_its_expected_lines_and_exits_1(string name)
    {
        var expected = await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "invalid", Path.ChangeExtension(name, ".expected")));

        var run = await Run("validate", RepositoryPaths.Combine("samples", "invalid", name));

        Assert.Equal(1, run.Exit);
        var lines = run.Output.Split('\n');
        Assert.Equal(expected, string.Concat(lines.SkipLast(2).Select(l => l + "\n")));
        Assert.StartsWith("1 document checked: 0 valid, 1 invalid (", lines[^2], StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task The_sample_specs_directory_is_valid_and_exits_0()
    {
        var run = await Run("validate", RepositoryPaths.Combine("samples", "specs"));

        Assert.Equal(0, run.Exit);
        Assert.Equal($"{Directory.GetFiles(RepositoryPaths.Combine("samples", "specs"), "*.json").Length} documents checked: all valid\n", run.Output);
    }

    [Fact]
    public async Task A_spec_that_names_a_template_is_valid_with_its_template_in_the_set_and_invalid_alone()
    {
        var together = await Run("validate", RepositoryPaths.Combine("samples", "templates"));
        var alone = await Run("validate", RepositoryPaths.Combine("samples", "templates", "orders.json"));

        Assert.Equal(0, together.Exit);
        Assert.Equal("2 documents checked: all valid\n", together.Output);
        Assert.Equal(1, alone.Exit);
        Assert.Contains("orders.json: $.spec.template: no PulumiPipelineTemplate named \"standard-service\" is known", alone.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_is_walked_recursively_in_sorted_order_and_hidden_folders_are_skipped()
    {
        var dir = Directory.CreateTempSubdirectory("validate-walk-").FullName;
        try
        {
            var invalid = await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "invalid", "timeout.json"));
            Directory.CreateDirectory(Path.Combine(dir, "b"));
            Directory.CreateDirectory(Path.Combine(dir, ".git"));
            await File.WriteAllTextAsync(Path.Combine(dir, "b", "z.json"), invalid);
            await File.WriteAllTextAsync(Path.Combine(dir, "a.json"), invalid);
            await File.WriteAllTextAsync(Path.Combine(dir, ".git", "x.json"), "not json");
            await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "not json");

            var run = await Run("validate", dir);

            Assert.Equal(1, run.Exit);
            Assert.Equal(
                [$"{dir}/a.json: $.spec.build.timeoutMinutes", $"{dir}/b/z.json: $.spec.build.timeoutMinutes"],
                run.Output.Split('\n').Take(2).Select(l => l[..l.IndexOf(": 4320", StringComparison.Ordinal)]));
            Assert.Contains("2 documents checked: 0 valid, 2 invalid (2 errors)", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Valid_and_invalid_files_together_exit_1_and_the_summary_counts_both()
    {
        var run = await Run("validate", RepositoryPaths.Combine("samples", "specs", "website.json"), RepositoryPaths.Combine("samples", "invalid", "triggers.json"));

        Assert.Equal(1, run.Exit);
        Assert.EndsWith("2 documents checked: 1 valid, 1 invalid (2 errors)\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dash_reads_standard_input_as_stdin()
    {
        var text = await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "invalid", "cli-version.json"));
        var root = new RootCommand { ValidateCommand.Create(new StringReader(text)) };
        var output = new StringWriter();

        var exit = await root.Parse(["validate", "-"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(1, exit);
        Assert.StartsWith("<stdin>: $.spec.pulumi.cliVersion: \"latest\" is not a semantic version", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_an_array_of_results_with_paths_and_messages()
    {
        var run = await Run("validate", "--output", "json", RepositoryPaths.Combine("samples", "specs", "website.json"), RepositoryPaths.Combine("samples", "invalid", "policies.json"));

        Assert.Equal(1, run.Exit);
        using var json = JsonDocument.Parse(run.Output);
        var results = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.True(results[0].GetProperty("valid").GetBoolean());
        Assert.Empty(results[0].GetProperty("errors").EnumerateArray());
        Assert.False(results[1].GetProperty("valid").GetBoolean());
        Assert.EndsWith("policies.json", results[1].GetProperty("source").GetString(), StringComparison.Ordinal);
        var first = results[1].GetProperty("errors")[0];
        Assert.Equal("$.spec.driftPolicy", first.GetProperty("path").GetString());
        Assert.StartsWith("unknown drift policy \"Ignore\"", first.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_path_is_a_usage_error()
    {
        var run = await Run("validate");

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Output);
        Assert.Contains("Run 'reconciler validate --help' for usage.", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    public async Task An_unknown_option_is_a_usage_error(string option)
    {
        var run = await Run("validate", option, RepositoryPaths.Combine("samples", "specs"));

        Assert.Equal(2, run.Exit);
        Assert.Contains($"Unrecognized option '{option}'", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task An_unknown_output_format_is_a_usage_error()
    {
        var run = await Run("validate", "--output", "yaml", RepositoryPaths.Combine("samples", "specs"));

        Assert.Equal(2, run.Exit);
        Assert.Contains("'yaml'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_does_not_exist_is_a_usage_error_and_nothing_is_validated()
    {
        var run = await Run("validate", RepositoryPaths.Combine("samples", "specs"), "no/such/file.json");

        Assert.Equal(2, run.Exit);
        Assert.Contains("no/such/file.json: no such file or directory", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData]
    [InlineData("bogus")]
    public async Task No_command_or_an_unknown_command_is_a_usage_error(params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(2, run.Exit);
        Assert.Contains("Run 'reconciler --help' for usage.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_usage_and_exit_codes()
    {
        var run = await Run("validate", "--help");

        Assert.Equal(0, run.Exit);
        // The executable name is the test host here; the rest of the usage line is ours.
        Assert.Contains(" validate <paths>... [options]", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 all valid, 1 any invalid, 2 usage error", run.Output, StringComparison.Ordinal);
        Assert.Contains("--output", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = await CommandLineApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        var prefix = RepositoryPaths.Root + Path.DirectorySeparatorChar;
        return (exit, output.ToString().Replace(prefix, "", StringComparison.Ordinal), error.ToString());
    }
}
