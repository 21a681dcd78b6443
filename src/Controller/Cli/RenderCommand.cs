using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Rendering.Pulumi;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler render &lt;file&gt; [template files] [--output json|yaml] [--effective]</c>: prints the AWS request bodies a spec document implies (merged onto its template when it names one).</summary>
public static class RenderCommand
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, IndentSize = 2, NewLine = "\n" };

    public static Command Create()
    {
        var files = new Argument<string[]>("file")
        {
            Description = "The spec document (kind: PulumiPipeline) to render, or - for standard input; then the files or directories of the templates it may name.",
            Arity = ArgumentArity.OneOrMore,
        };
        var effective = new Option<bool>("--effective")
        {
            Description = "Print the effective spec document (the spec merged onto its template) instead of what it renders into.",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output format (default: json for the direct engine's request bodies, yaml for the Pulumi program).",
        };
        output.AcceptOnlyFromAmong("json", "yaml");
        var engine = new Option<string>("--engine")
        {
            Description = "direct: the API request bodies; pulumi: the Pulumi YAML program (Pulumi.yaml) the Pulumi engine runs.",
            DefaultValueFactory = _ => "direct",
        };
        engine.AcceptOnlyFromAmong("direct", "pulumi");

        var command = new Command("render",
            "Validate a spec document and render it into the CodeBuild projects, webhooks and CodePipeline pipeline it implies, with their hashes " +
            "(or, with --engine pulumi, the Pulumi YAML program that declares them). " +
            "A spec that names a template (spec.template) is merged onto it first: give the template's file too. " +
            "Exit codes: 0 rendered, 1 invalid document, 2 usage error (including a template not among the files).");
        command.Arguments.Add(files);
        command.Options.Add(output);
        command.Options.Add(engine);
        command.Options.Add(effective);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(files)!, parse.GetValue(output), parse.GetValue(engine)!, parse.GetValue(effective), parse.InvocationConfiguration, ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, string? format, string engine, bool effective, InvocationConfiguration io, CancellationToken ct)
    {
        var file = paths[0];
        (string Source, byte[] Bytes) input;
        var templates = new Dictionary<string, PulumiPipelineTemplate>(StringComparer.Ordinal);
        try
        {
            var documents = await DocumentSources.ReadAsync([file], DocumentSources.OpenStandardInput, ct);
            if (documents.Count != 1)
            {
                await io.Error.WriteLineAsync($"{file}: render takes one document file, not a directory of {documents.Count}");
                return ExitCodes.Usage;
            }
            input = documents[0];
            var invalid = false;
            foreach (var (source, bytes) in await DocumentSources.ReadAsync(paths.Skip(1), DocumentSources.OpenStandardInput, ct))
            {
                var text = System.Text.Encoding.UTF8.GetString(bytes);
                if (!DocumentSetValidator.IsTemplate(text))
                {
                    await io.Error.WriteLineAsync($"{source}: $.kind: render takes one spec document; the files after it are the templates it may name (kind: {PulumiPipelineTemplate.KindName})");
                    return ExitCodes.Usage;
                }
                var (errors, template) = SpecValidator.ValidateTemplate(source, text);
                foreach (var error in errors)
                {
                    await io.Error.WriteLineAsync(error.ToString());
                }
                invalid |= errors.Count > 0;
                if (template is not null)
                {
                    templates[template.Metadata.Name] = template;
                }
            }
            if (invalid)
            {
                return ExitCodes.Invalid;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync(ex is FileNotFoundException ? ex.Message : $"{file}: cannot read: {ex.Message}");
            return ExitCodes.Usage;
        }

        var result = SpecValidator.Validate(input.Source, input.Bytes);
        if (EffectiveSpec.OnlyTemplateUnknown(result) && EffectiveSpec.TemplateNamed(input.Bytes) is var (name, named))
        {
            // The one error is the unknown template: validate again merged onto one of the files given.
            if (!templates.ContainsKey(named))
            {
                await io.Error.WriteLineAsync($"{input.Source}: $.spec.template: spec '{name}' names template '{named}', which is not among the files given; pass its file after the spec (reconciler render {file} <template file>)");
                return ExitCodes.Usage;
            }
            result = SpecValidator.Validate(input.Source, System.Text.Encoding.UTF8.GetString(input.Bytes), templates);
        }
        if (!result.IsValid || result.Document is null)
        {
            foreach (var error in result.Errors)
            {
                await io.Error.WriteLineAsync(error.ToString());
            }
            if (result.Errors.Count == 0)
            {
                await io.Error.WriteLineAsync($"{result.Source}: $: the document could not be read");
            }
            return ExitCodes.Invalid;
        }

        var (document, _) = EffectiveSpec.Resolve(result.Document, templates, "among the files given");
        if (effective)
        {
            var node = JsonSerializer.SerializeToNode(document!, ModelJsonContext.Default.PulumiPipeline)!;
            await io.Output.WriteAsync(format == "yaml" ? JsonToYaml.Convert(node) : node.ToJsonString(IndentedJson) + "\n");
            return ExitCodes.Ok;
        }
        var state = PipelineRenderer.Render(document!);
        if (engine == "pulumi")
        {
            var program = PulumiProgramRenderer.Render(state);
            await io.Output.WriteAsync(format == "json" ? program.ToDocument().ToJsonString(IndentedJson) + "\n" : program.ToYaml());
            return ExitCodes.Ok;
        }
        var json = DesiredStateJson.Write(state);
        await io.Output.WriteAsync(format == "yaml" ? JsonToYaml.Convert(JsonNode.Parse(json)) : json);
        return ExitCodes.Ok;
    }
}
