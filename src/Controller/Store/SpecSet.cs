using System.Text;
using Reconciler.Model.Documents;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Store;

/// <summary>
/// A set of documents of both kinds validated together before any is written: each one's schema and rules (a spec
/// that names a template is checked whole, merged with a template of the set or one stored already), and no name
/// declared twice in a kind. Only a valid set may be applied (<see cref="SpecApplier"/>), so an invalid one writes nothing.
/// </summary>
/// <param name="Problems">Each as <c>&lt;source&gt;: &lt;JSON path&gt;: &lt;message&gt;</c>.</param>
/// <param name="InvalidCount">How many documents had errors of their own.</param>
public sealed record SpecSet(IReadOnlyList<PulumiPipeline> Documents, IReadOnlyList<string> Problems, int SourceCount, int InvalidCount)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>One line saying how much is wrong, for the error that follows the problems.</summary>
    public string Summary => $"{Problems.Count} problem(s) in {Math.Max(InvalidCount, 1)} of {SourceCount} document(s)";

    /// <summary>Where each of <see cref="Documents"/> came from (a file name, <c>&lt;stdin&gt;</c>), in the same order.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The templates of the set, applied before its specs.</summary>
    public IReadOnlyList<PulumiPipelineTemplate> Templates { get; init; } = [];

    /// <summary>True when some spec names a template the set does not hold: validating again with the stored templates may help.</summary>
    public bool NamesUnknownTemplates { get; init; }

    /// <summary>Validates every source, then the set as a whole.</summary>
    public static SpecSet Validate(IReadOnlyList<(string Source, string Text)> sources, IReadOnlyDictionary<string, PulumiPipelineTemplate>? stored = null) =>
        Of(DocumentSetValidator.Validate(sources, stored), sources.Select(s => s.Text).ToList());

    /// <summary>Validates every source read as bytes (invalid UTF-8 is an error with its byte offset), then the set as a whole.</summary>
    public static SpecSet Validate(IReadOnlyList<(string Source, byte[] Bytes)> sources, IReadOnlyDictionary<string, PulumiPipelineTemplate>? stored = null) =>
        Of(DocumentSetValidator.Validate(sources, stored), sources.Select(s => Encoding.UTF8.GetString(s.Bytes)).ToList());

    private static SpecSet Of(IReadOnlyList<ValidationResult> results, IReadOnlyList<string> texts)
    {
        var problems = results.SelectMany(r => r.Errors).Select(e => e.ToString()).ToList();
        var templates = new List<(string Source, PulumiPipelineTemplate Template)>();
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].IsValid && DocumentSetValidator.IsTemplate(texts[i]) && SpecValidator.ValidateTemplate(results[i].Source, texts[i]).Template is { } template)
            {
                templates.Add((results[i].Source, template));
            }
        }
        var named = results.Where(r => r.IsValid && r.Document is not null).Select(r => (r.Source, r.Document!.Metadata.Name))
            .Concat(templates.Select(t => (t.Source, Name: "template " + t.Template.Metadata.Name)));
        foreach (var duplicate in named.GroupBy(r => r.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(", ", duplicate.Select(r => r.Source))}: $.metadata.name: '{duplicate.Key}' is declared more than once");
        }
        var valid = problems.Count == 0;
        var specs = results.Where(r => r.Document is not null).ToList();
        return new SpecSet(valid ? specs.Select(r => r.Document!).ToList() : [], problems, results.Count, results.Count(r => !r.IsValid))
        {
            Sources = valid ? specs.Select(r => r.Source).ToList() : [],
            Templates = valid ? templates.Select(t => t.Template).ToList() : [],
            NamesUnknownTemplates = results.Any(r => r.Errors.Any(e => e.Path == "$.spec.template")),
        };
    }
}
