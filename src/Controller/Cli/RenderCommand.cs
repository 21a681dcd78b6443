using System.CommandLine;
using System.Text.Json.Nodes;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler render &lt;file&gt; [--output json|yaml]</c>: prints the AWS request bodies a spec document implies.</summary>
public static class RenderCommand
{
    /// <summary>How errors name a document read from standard input.</summary>
    public const string StdinName = "<stdin>";

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
        string text;
        try
        {
            text = file == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(file, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await io.Error.WriteLineAsync($"{file}: cannot read: {ex.Message}");
            return ExitCodes.Usage;
        }

        var result = SpecValidator.Validate(file == "-" ? StdinName : file, text);
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
