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

    /// <summary>Where each of <see cref="Documents"/> came from (a file name, <c>&lt;stdin&gt;</c>), in the same order.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Validates every source, then the set as a whole.</summary>
    public static SpecSet Validate(IReadOnlyList<(string Source, string Text)> sources) =>
        Of(sources.Select(s => SpecValidator.Validate(s.Source, s.Text)).ToList());

    /// <summary>Validates every source read as bytes (invalid UTF-8 is an error with its byte offset), then the set as a whole.</summary>
    public static SpecSet Validate(IReadOnlyList<(string Source, byte[] Bytes)> sources) =>
        Of(sources.Select(s => SpecValidator.Validate(s.Source, s.Bytes)).ToList());

    private static SpecSet Of(List<ValidationResult> results)
    {
        var problems = results.SelectMany(r => r.Errors).Select(e => e.ToString()).ToList();
        foreach (var duplicate in results.Where(r => r.IsValid && r.Document is not null).GroupBy(r => r.Document!.Metadata.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(", ", duplicate.Select(r => r.Source))}: $.metadata.name: '{duplicate.Key}' is declared more than once");
        }
        var valid = problems.Count == 0;
        return new SpecSet(valid ? results.Select(r => r.Document!).ToList() : [], problems, results.Count, results.Count(r => !r.IsValid))
        {
            Sources = valid ? results.Select(r => r.Source).ToList() : [],
        };
    }
}
