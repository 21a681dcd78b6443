using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler validate &lt;file|dir|-&gt;...</c>: checks spec documents and reports every error with its file and JSON path.</summary>
public static class ValidateCommand
{
    // Relaxed escaping keeps quotes and non-ASCII readable; the output goes to a terminal or a tool, never into HTML.
    private static readonly ValidationReportJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <param name="standardInput">What <c>-</c> reads; the process's standard input unless a test supplies one.</param>
    public static Command Create(TextReader? standardInput = null)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Spec documents: files, directories (every *.json below them, in sorted order) or - for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: text (one line per error: <file>: <JSON path>: <message>, then a summary) or json.",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "json");

        var command = new Command("validate",
            "Check PulumiPipeline and PulumiPipelineTemplate documents against the schema and the rules (a spec that names a template is checked merged with it, when the template is among the paths). Exit code: 0 all valid, 1 any invalid, 2 usage error (including a path that cannot be read).")
        {
            paths,
            output,
        };
        command.Action = new UsageCheckedAction((parse, ct) =>
            RunAsync(parse, parse.GetValue(paths) ?? [], parse.GetValue(output) ?? "text", standardInput ?? Console.In, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string[] paths, string format, TextReader standardInput, CancellationToken ct)
    {
        var options = paths.Where(p => p.StartsWith('-') && p != DocumentSources.StandardInput).ToList();
        if (options.Count > 0)
        {
            return UsageCheckedAction.Fail(parse,
                options.Select(o => $"Unrecognized option '{o}' (to check a file whose name starts with \"-\", write ./{o})."));
        }
        IReadOnlyList<(string Source, string Text)> documents;
        try
        {
            documents = await DocumentSources.ReadAsync(paths, standardInput, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return UsageCheckedAction.Fail(parse, [ex is FileNotFoundException ? ex.Message : $"cannot read: {ex.Message}"]);
        }

        var results = DocumentSetValidator.Validate(documents).ToList();
        var output = parse.InvocationConfiguration.Output;
        if (format == "json")
        {
            var report = results.Select(r => new ValidationReport(r.Source, r.IsValid, [.. r.Errors.Select(e => new ValidationReportError(e.Path, e.Message))])).ToList();
            output.WriteLine(JsonSerializer.Serialize(report, Json.ListValidationReport));
        }
        else
        {
            foreach (var error in results.SelectMany(r => r.Errors))
            {
                output.WriteLine(error.ToString());
            }
            output.WriteLine(Summary(results));
        }
        return results.All(r => r.IsValid) ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    private static string Summary(List<ValidationResult> results)
    {
        var invalid = results.Count(r => !r.IsValid);
        var errors = results.Sum(r => r.Errors.Count);
        var documents = results.Count == 1 ? "1 document" : $"{results.Count} documents";
        var errorText = errors == 1 ? "1 error" : $"{errors} errors";
        return invalid == 0
            ? $"{documents} checked: all valid"
            : $"{documents} checked: {results.Count - invalid} valid, {invalid} invalid ({errorText})";
    }
}
