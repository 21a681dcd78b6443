using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Model.Tests.Validation;

/// <summary>samples/specs are valid; each samples/invalid/NAME.json yields exactly the lines in NAME.expected.</summary>
public class SampleDocumentTests
{
    public static TheoryData<string> ValidSamples() => Files("specs");

    public static TheoryData<string> InvalidSamples() => Files("invalid");

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void Every_sample_spec_is_valid(string name)
    {
        var result = SpecValidator.Validate(name, File.ReadAllText(RepositoryPaths.Combine("samples", "specs", name)));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.NotNull(result.Document);
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public void Every_invalid_sample_yields_exactly_its_expected_errors(string name)
    {
        var path = RepositoryPaths.Combine("samples", "invalid", name);
        var expected = File.ReadAllText(Path.ChangeExtension(path, ".expected"));

        var result = SpecValidator.Validate($"samples/invalid/{name}", File.ReadAllText(path));

        Assert.False(result.IsValid);
        Assert.Equal(expected, string.Concat(result.Errors.Select(e => e + "\n")));
    }

    [Fact]
    public void Every_invalid_sample_has_an_expected_file_and_the_other_way_round()
    {
        var folder = RepositoryPaths.Combine("samples", "invalid");
        var documents = Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        var expectations = Directory.GetFiles(folder, "*.expected").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(documents, expectations);
        Assert.True(documents.Count() >= 20);
    }

    private static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Combine("samples", folder), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }
}
