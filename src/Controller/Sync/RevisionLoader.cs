using System.Text.RegularExpressions;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;
using YamlDotNet.Core;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Reads every document under a directory of a checked-out revision: <c>*.json</c>, <c>*.yaml</c> and <c>*.yml</c>
/// (YAML files may hold a <c>---</c> stream), hidden folders skipped, in ordinal path order. All of it is validated
/// and every problem is reported as <c>file:line: JSON path: message</c>.
/// </summary>
public static partial class RevisionLoader
{
    private static readonly string[] Extensions = [".json", ".yaml", ".yml"];

    /// <param name="root">The checked-out directory (the synced path inside the revision).</param>
    public static Task<RevisionDocuments> LoadAsync(string root, CancellationToken cancellationToken) => LoadAsync(root, null, cancellationToken);

    /// <param name="root">The checked-out directory (the synced path inside the revision).</param>
    /// <param name="known">Templates a spec may name besides the revision's own (those stored and not owned by the source); the revision's win.</param>
    public static async Task<RevisionDocuments> LoadAsync(string root, IReadOnlyDictionary<string, PulumiPipelineTemplate>? known, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            return new RevisionDocuments([], [$"{root}: no such directory in this revision"]);
        }
        var documents = new List<SourceDocument>();
        var templates = new List<SourceTemplate>();
        var errors = new List<string>();
        var items = new List<(string File, string Json, int Line, LineMap Lines)>();
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Split('/').SkipLast(1).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(root, file), cancellationToken);
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                items.Add((file, text, 1, LineMap.OfJson(text)));
                continue;
            }
            IReadOnlyList<YamlDocuments.Item> stream;
            try
            {
                stream = YamlDocuments.Read(text);
            }
            catch (YamlException e)
            {
                errors.Add($"{file}:{Math.Max(1, e.Start.Line)}: {JsonPath.Root}: invalid YAML: {OneLine(e.InnerException?.Message ?? e.Message)}");
                continue;
            }
            items.AddRange(stream.Select(item => (file, item.Json, item.Line, item.Lines)));
        }
        // Templates first: every spec is checked merged with the template it names, wherever in the revision that is.
        var named = new Dictionary<string, PulumiPipelineTemplate>(known ?? new Dictionary<string, PulumiPipelineTemplate>(), StringComparer.Ordinal);
        foreach (var (file, json, line, lines) in items.Where(i => DocumentSetValidator.IsTemplate(i.Json)))
        {
            var (problems, template) = SpecValidator.ValidateTemplate(file, json);
            if (problems.Count == 0 && template is not null)
            {
                templates.Add(new SourceTemplate(file, line, template));
                named[template.Metadata.Name] = template;
            }
            Report(file, lines, problems, errors);
        }
        foreach (var (file, json, line, lines) in items.Where(i => !DocumentSetValidator.IsTemplate(i.Json)))
        {
            var result = SpecValidator.Validate(file, json, named);
            if (result.IsValid)
            {
                documents.Add(new SourceDocument(file, line, result.Document!));
            }
            Report(file, lines, result.Errors, errors);
        }
        var declared = documents.Select(d => (d.File, d.Line, d.Document.Metadata.Name))
            .Concat(templates.Select(t => (t.File, t.Line, Name: "template " + t.Template.Metadata.Name)));
        foreach (var duplicate in declared.GroupBy(d => d.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = duplicate.First();
            errors.Add($"{first.File}:{first.Line}: $.metadata.name: '{duplicate.Key}' is declared more than once (also at {string.Join(", ", duplicate.Skip(1).Select(d => $"{d.File}:{d.Line}"))})");
        }
        return new RevisionDocuments(errors.Count == 0 ? documents : [], errors) { Templates = errors.Count == 0 ? templates : [] };
    }

    private static void Report(string file, LineMap lines, IReadOnlyList<ValidationError> problems, List<string> errors)
    {
        foreach (var error in problems)
        {
            // A JSON syntax error names its own line; everything else is placed by its path.
            var at = SyntaxLine().Match(error.Message) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : lines.LineOf(error.Path);
            errors.Add($"{file}:{at}: {error.Path}: {error.Message}");
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    [GeneratedRegex(@"^invalid JSON at line (\d+),")]
    private static partial Regex SyntaxLine();
}
