using System.Text.RegularExpressions;
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
    public static async Task<RevisionDocuments> LoadAsync(string root, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            return new RevisionDocuments([], [$"{root}: no such directory in this revision"]);
        }
        var documents = new List<SourceDocument>();
        var errors = new List<string>();
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
                Add(file, text, 1, LineMap.OfJson(text), documents, errors);
                continue;
            }
            IReadOnlyList<YamlDocuments.Item> items;
            try
            {
                items = YamlDocuments.Read(text);
            }
            catch (YamlException e)
            {
                errors.Add($"{file}:{Math.Max(1, e.Start.Line)}: {JsonPath.Root}: invalid YAML: {OneLine(e.InnerException?.Message ?? e.Message)}");
                continue;
            }
            foreach (var item in items)
            {
                Add(file, item.Json, item.Line, item.Lines, documents, errors);
            }
        }
        foreach (var duplicate in documents.GroupBy(d => d.Document.Metadata.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = duplicate.First();
            errors.Add($"{first.File}:{first.Line}: $.metadata.name: '{duplicate.Key}' is declared more than once (also at {string.Join(", ", duplicate.Skip(1).Select(d => $"{d.File}:{d.Line}"))})");
        }
        return new RevisionDocuments(errors.Count == 0 ? documents : [], errors);
    }

    private static void Add(string file, string json, int line, LineMap lines, List<SourceDocument> documents, List<string> errors)
    {
        var result = SpecValidator.Validate(file, json);
        if (result.IsValid)
        {
            documents.Add(new SourceDocument(file, line, result.Document!));
            return;
        }
        foreach (var error in result.Errors)
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
