using System.CommandLine;
using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;

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
            "Render a spec document into the CodeBuild projects, webhooks and CodePipeline pipeline it implies, with their hashes. " +
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

        var (document, errors) = Read(file, text);
        if (document is null)
        {
            foreach (var error in errors)
            {
                await io.Error.WriteLineAsync(error);
            }
            return ExitCodes.Invalid;
        }

        var state = PipelineRenderer.Render(document);
        var json = DesiredStateJson.Write(state);
        await io.Output.WriteAsync(format == "yaml" ? JsonToYaml.Convert(System.Text.Json.Nodes.JsonNode.Parse(json)) : json);
        return ExitCodes.Ok;
    }

    // Until the validator is merged, a document that does not deserialize is the only invalid input.
    private static (PulumiPipeline? Document, IReadOnlyList<string> Errors) Read(string file, string text)
    {
        try
        {
            var document = JsonSerializer.Deserialize(text, ModelJsonContext.Default.PulumiPipeline);
            return document is null ? (null, [$"{file}: $: the document is null; expected an object"]) : (document, []);
        }
        catch (JsonException ex)
        {
            return (null, [$"{file}: {ex.Path ?? "$"}: {ex.Message}"]);
        }
    }
}
