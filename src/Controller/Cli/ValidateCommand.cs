using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler validate &lt;file|dir|-&gt;...</c>: checks spec documents and reports every error with its file and JSON path.</summary>
public static class ValidateCommand
{
    public const string StandardInputName = "<stdin>";

    private const int AllValid = 0;
    private const int SomeInvalid = 1;

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
            "Check PulumiPipeline documents against the schema and the rules. Exit code: 0 all valid, 1 any invalid, 2 usage error.")
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
        var usage = new List<string>();
        var documents = new List<string>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                documents.Add(path);
            }
            else if (path.StartsWith('-'))
            {
                usage.Add($"Unrecognized option '{path}' (to check a file whose name starts with \"-\", write ./{path}).");
            }
            else if (Directory.Exists(path))
            {
                documents.AddRange(JsonFilesBelow(path));
            }
            else if (File.Exists(path))
            {
                documents.Add(path);
            }
            else
            {
                usage.Add($"No such file or directory: {path}");
            }
        }
        if (usage.Count > 0)
        {
            return UsageCheckedAction.Fail(parse, usage);
        }

        var results = new List<ValidationResult>(documents.Count);
        foreach (var document in documents)
        {
            results.Add(await ValidateAsync(document, standardInput, ct));
        }

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
        return results.All(r => r.IsValid) ? AllValid : SomeInvalid;
    }

    private static async Task<ValidationResult> ValidateAsync(string path, TextReader standardInput, CancellationToken ct)
    {
        if (path == "-")
        {
            return SpecValidator.Validate(StandardInputName, await standardInput.ReadToEndAsync(ct));
        }
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ValidationResult(path, [new ValidationError(path, JsonPath.Root, $"cannot read the file: {ex.Message}")], null);
        }
        return SpecValidator.Validate(path, text);
    }

    /// <summary>Every *.json below <paramref name="directory"/>, skipping hidden folders (.git), in ordinal order so output is stable.</summary>
    private static IEnumerable<string> JsonFilesBelow(string directory) =>
        Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(directory, file))
            .Where(relative => !relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .Select(relative => Path.Join(directory, relative));

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
