using System.CommandLine;
using System.Text.Json.Nodes;
using Reconciler.Controller.Cli;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;
using Reconciler.Model.Templates;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

/// <summary><c>render</c> of a spec that names a template: merged onto the template given beside it, <c>--effective</c> prints the merged document, a missing template is exit 2.</summary>
public sealed class RenderTemplateTests
{
    private static string Sample(string file) => RepositoryPaths.Combine("samples", "templates", file);

    [Fact]
    public async Task A_templated_spec_renders_merged_onto_the_template_given_beside_it()
    {
        var (exit, output, error) = await Run("render", Sample("orders.json"), Sample("standard-service.json"));

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var expected = DesiredStateJson.Write(PipelineRenderer.Render(Effective()));
        Assert.Equal(expected, output);
        // The template's image and the spec's own compute type both reach the rendered project.
        Assert.Contains("aws/codebuild/standard:7.0", output, StringComparison.Ordinal);
        Assert.Contains("BUILD_GENERAL1_LARGE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Effective_prints_the_merged_spec_document_without_its_template_reference()
    {
        var (exit, output, error) = await Run("render", Sample("orders.json"), Sample("standard-service.json"), "--effective");

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var document = JsonNode.Parse(output)!;
        Assert.Equal("orders", (string?)document["metadata"]!["name"]);
        Assert.Null(document["spec"]!["template"]);
        Assert.Equal("Detect", (string?)document["spec"]!["driftPolicy"]);
        Assert.Equal(["preview", "staging", "refresh"], document["spec"]!["stages"]!.AsArray().Select(s => (string?)s!["name"]));
        // The printed document is itself a valid standalone spec.
        Assert.True(SpecValidator.Validate("effective.json", output).IsValid);
    }

    [Fact]
    public async Task A_template_not_among_the_files_is_exit_2_naming_the_spec_and_the_template()
    {
        var (exit, output, error) = await Run("render", Sample("orders.json"));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"{Sample("orders.json")}: $.spec.template: spec 'orders' names template 'standard-service', which is not among the files given; pass its file after the spec (reconciler render {Sample("orders.json")} <template file>)\n", error);
    }

    [Fact]
    public async Task A_spec_after_the_first_file_is_a_usage_error()
    {
        var (exit, _, error) = await Run("render", Sample("orders.json"), RepositoryPaths.Combine("samples", "specs", "website.json"));

        Assert.Equal(2, exit);
        Assert.Contains("$.kind: render takes one spec document", error, StringComparison.Ordinal);
    }

    private static PulumiPipeline Effective()
    {
        var (_, template) = SpecValidator.ValidateTemplate("t", File.ReadAllText(Sample("standard-service.json")));
        var templates = new Dictionary<string, PulumiPipelineTemplate>(StringComparer.Ordinal) { ["standard-service"] = template! };
        return TemplateMerge.Effective(SpecValidator.Validate("o", File.ReadAllText(Sample("orders.json")), templates).Document!, template!);
    }

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
