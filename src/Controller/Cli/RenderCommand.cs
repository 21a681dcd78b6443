using System.CommandLine;
using System.Text.Json.Nodes;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler render &lt;file&gt; [--output json|yaml]</c>: prints the AWS request bodies a spec document implies.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "The spec document (kind: PulumiPipeline) to render, or - for standard input.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "json",
        };
        output.AcceptOnlyFromAmong("json", "yaml");

        var command = new Command("render",
            "Validate a spec document and render it into the CodeBuild projects, webhooks and CodePipeline pipeline it implies, with their hashes. " +
            "Exit codes: 0 rendered, 1 invalid document, 2 usage error.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(output)!, parse.InvocationConfiguration, ct));
        return command;
    }

    private static async Task<int> RunAsync(string file, string format, InvocationConfiguration io, CancellationToken ct)
    {
        (string Source, byte[] Bytes) input;
        try
        {
            var documents = await DocumentSources.ReadAsync([file], DocumentSources.OpenStandardInput, ct);
            if (documents.Count != 1)
            {
                await io.Error.WriteLineAsync($"{file}: render takes one document file, not a directory of {documents.Count}");
                return ExitCodes.Usage;
            }
            input = documents[0];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync(ex is FileNotFoundException ? ex.Message : $"{file}: cannot read: {ex.Message}");
            return ExitCodes.Usage;
        }

        var result = SpecValidator.Validate(input.Source, input.Bytes);
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

        var state = PipelineRenderer.Render(result.Document);
        var json = DesiredStateJson.Write(state);
        await io.Output.WriteAsync(format == "yaml" ? JsonToYaml.Convert(JsonNode.Parse(json)) : json);
        return ExitCodes.Ok;
    }
}
