using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>
/// Every sample spec renders to its checked-in expected output, byte for byte. After an intended
/// change, regenerate with <c>RECONCILER_UPDATE_GOLDEN=1 dotnet test tests/Model.Tests</c> and review the diff.
/// </summary>
public class GoldenRenderingTests
{
    private const string UpdateVariable = "RECONCILER_UPDATE_GOLDEN";

    public static TheoryData<string> Samples() => new(SampleNames());

    internal static IReadOnlyList<string> SampleNames() =>
        Directory.GetFiles(RepositoryPaths.Combine("samples", "specs"), "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_renders_to_its_golden_file_byte_for_byte(string sample)
    {
        var actual = DesiredStateJson.Write(PipelineRenderer.Render(Load(sample)));
        var goldenPath = RepositoryPaths.Combine("samples", "rendered", sample + ".json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(goldenPath, actual);
            return;
        }

        Assert.True(File.Exists(goldenPath), $"{goldenPath} is missing; create it with {UpdateVariable}=1");
        var expected = File.ReadAllText(goldenPath);
        if (expected != actual)
        {
            Assert.Fail($"rendering of samples/specs/{sample}.json differs from samples/rendered/{sample}.json "
                + $"(-golden +rendered); if the change is intended, rerun with {UpdateVariable}=1 and review the diff:\n"
                + TextDiff.Unified(expected, actual));
        }
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_sample()
    {
        var samples = SampleNames().ToHashSet(StringComparer.Ordinal);
        var goldens = Directory.GetFiles(RepositoryPaths.Combine("samples", "rendered"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f));
        Assert.All(goldens, golden => Assert.Contains(golden, samples));
        Assert.True(samples.Count >= 2, "expected at least the two bundled samples");
    }

    [Fact]
    public void The_diff_in_a_failure_names_the_changed_lines()
    {
        var diff = TextDiff.Unified("a\nb\nc\nd\n", "a\nB\nc\nd\n");
        Assert.Contains("-0002 b", diff, StringComparison.Ordinal);
        Assert.Contains("+0002 B", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("0004 d", diff, StringComparison.Ordinal);
    }

    /// <summary>A sample as the validator reads it; a sample that does not validate fails the test that loads it.</summary>
    internal static PulumiPipeline Load(string sample)
    {
        var result = SpecValidator.Validate(sample, File.ReadAllText(RepositoryPaths.Combine("samples", "specs", sample + ".json")));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Document!;
    }
}
