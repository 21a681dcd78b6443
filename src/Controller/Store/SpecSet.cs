using Reconciler.Model.Documents;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Store;

/// <summary>
/// A set of documents validated together before any is written: each one's schema and rules, and no name declared
/// twice. Only a valid set may be applied (<see cref="SpecApplier"/>), so an invalid one writes nothing.
/// </summary>
/// <param name="Problems">Each as <c>&lt;source&gt;: &lt;JSON path&gt;: &lt;message&gt;</c>.</param>
/// <param name="InvalidCount">How many documents had errors of their own.</param>
public sealed record SpecSet(IReadOnlyList<PulumiPipeline> Documents, IReadOnlyList<string> Problems, int SourceCount, int InvalidCount)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>One line saying how much is wrong, for the error that follows the problems.</summary>
    public string Summary => $"{Problems.Count} problem(s) in {Math.Max(InvalidCount, 1)} of {SourceCount} document(s)";

    /// <summary>Validates every source, then the set as a whole.</summary>
    public static SpecSet Validate(IReadOnlyList<(string Source, string Text)> sources)
    {
        var results = sources.Select(s => SpecValidator.Validate(s.Source, s.Text)).ToList();
        var problems = results.SelectMany(r => r.Errors).Select(e => e.ToString()).ToList();
        foreach (var duplicate in results.Where(r => r.IsValid && r.Document is not null).GroupBy(r => r.Document!.Metadata.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(", ", duplicate.Select(r => r.Source))}: $.metadata.name: '{duplicate.Key}' is declared more than once");
        }
        var documents = problems.Count == 0 ? results.Select(r => r.Document!).ToList() : [];
        return new SpecSet(documents, problems, results.Count, results.Count(r => !r.IsValid));
    }
}
