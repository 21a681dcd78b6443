using System.CommandLine;
using System.Text.Json.Nodes;
using Reconciler.Controller.Cli;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

public class RenderCommandTests
{
    [Fact]
    public async Task Rendering_a_sample_prints_its_golden_file_and_exits_0()
    {
        var (exit, output, error) = await Run("render", Sample("website"));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "rendered", "website.json")), output);
    }

    [Fact]
    public async Task Yaml_output_carries_the_same_names_and_values_as_json()
    {
        var (jsonExit, json, _) = await Run("render", Sample("payments-pipeline"));
        var (yamlExit, yaml, _) = await Run("render", Sample("payments-pipeline"), "--output", "yaml");

        Assert.Equal((0, 0), (jsonExit, yamlExit));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), YamlToJson.Read(yaml)), "YAML output does not read back as the JSON output");
        Assert.Contains("buildspec: |", yaml, StringComparison.Ordinal);
        Assert.Contains("version: \"1\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_pulumi_prints_the_golden_program_and_its_json_form_reads_the_same()
    {
        var (exit, yaml, error) = await Run("render", Sample("payments-pipeline"), "--engine", "pulumi");
        var (jsonExit, json, _) = await Run("render", Sample("payments-pipeline"), "--engine", "pulumi", "-o", "json");

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Equal("", error);
        Assert.Equal(await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "pulumi", "payments-pipeline.yaml")), yaml);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), YamlToJson.Read(yaml)), "the JSON program does not read back as the YAML one");
    }

    [Fact]
    public async Task A_document_that_cannot_be_read_as_a_spec_prints_file_path_and_message_and_exits_1()
    {
        var file = TempFile("""{ "apiVersion": "reconciler/v1", "kind": "PulumiPipeline", "metadata": { "name": 7 } }""");

        var (exit, output, error) = await Run("render", file);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"{file}: $.metadata.name: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_document_prints_every_validator_error_and_nothing_on_stdout()
    {
        var text = (await File.ReadAllTextAsync(Sample("website")))
            .Replace("\"reconciler/v1\"", "\"reconciler/v2\"", StringComparison.Ordinal)
            .Replace("\"timeoutMinutes\": 60", "\"timeoutMinutes\": 3", StringComparison.Ordinal);
        var file = TempFile(text);

        var (exit, output, error) = await Run("render", file, "--output", "yaml");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"{file}: $.apiVersion: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{file}: $.spec.build.timeoutMinutes: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("render")]
    [InlineData("render", "samples/specs/website.json", "--output", "xml")]
    [InlineData("render", "samples/specs/website.json", "--bogus")]
    [InlineData("render", "a.json", "b.json")]
    [InlineData("render", "samples/specs/website.json", "--engine", "terraform")]
    public async Task A_usage_error_exits_2_and_names_the_problem(params string[] args)
    {
        var (exit, output, error) = await Run(args);

        Assert.Equal(2, exit);
        Assert.NotEqual("", error);
        Assert.DoesNotContain("specHash", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"reconciler-missing-{Guid.NewGuid():N}.json");
        var (exit, _, error) = await Run("render", missing);
        Assert.Equal(2, exit);
        Assert.StartsWith($"{missing}: no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_is_a_usage_error()
    {
        var (exit, output, error) = await Run("render", RepositoryPaths.Combine("samples", "specs"));
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("render takes one document file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_argument_the_output_option_and_the_exit_codes()
    {
        var (exit, output, _) = await Run("render", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("<file>", output, StringComparison.Ordinal);
        Assert.Contains("--output <json|yaml>", output, StringComparison.Ordinal);
        Assert.Contains("2 usage error", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_command_prints_the_version()
    {
        var (exit, output, _) = await Run("--version");

        Assert.Equal(0, exit);
        Assert.Equal(VersionInfoCommand.Version, output.Trim());
        Assert.StartsWith("0.1.0", output, StringComparison.Ordinal);
    }

    private static string Sample(string name) => RepositoryPaths.Combine("samples", "specs", name + ".json");

    private static string TempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"reconciler-render-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
