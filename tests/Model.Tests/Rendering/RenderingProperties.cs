using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck.Xunit;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>Properties of rendering over generated valid specs: total, deterministic, and within the AWS contracts.</summary>
public partial class RenderingProperties
{
    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void The_generated_documents_are_ones_the_validator_accepts(PulumiPipeline document)
    {
        var text = JsonSerializer.Serialize(document, ModelJsonContext.Default.PulumiPipeline);
        var result = SpecValidator.Validate("generated.json", text);
        Assert.True(result.IsValid, string.Join("\n", result.Errors) + "\n" + text);
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void Every_rendered_body_passes_the_api_models_and_every_name_fits_its_limits(PulumiPipeline document)
    {
        var state = PipelineRenderer.Render(document);

        Assert.Empty(RenderedRequests.Violations(state));
        Assert.Equal(document.Spec.Stages.Count, state.Projects.Count);
        Assert.All(state.Projects, p =>
        {
            Assert.InRange(p.Project.Name.Length, 2, 150);
            Assert.Matches(ProjectName(), p.Project.Name);
        });
        Assert.Equal(document.Spec.Pipeline?.Enabled == true, state.Pipeline is not null);
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void Rendering_is_deterministic_and_independent_of_object_identity(PulumiPipeline document)
    {
        // A copy through JSON shares no object with the original and rebuilds every dictionary.
        var copy = JsonSerializer.Deserialize(JsonSerializer.Serialize(document, ModelJsonContext.Default.PulumiPipeline), ModelJsonContext.Default.PulumiPipeline)!;

        var first = PipelineRenderer.Render(document);
        var second = PipelineRenderer.Render(document);
        var fromCopy = PipelineRenderer.Render(copy);

        var canonical = CanonicalJson.Serialize(first, ModelJsonContext.Default.DesiredState);
        Assert.Equal(canonical, CanonicalJson.Serialize(second, ModelJsonContext.Default.DesiredState));
        Assert.Equal(canonical, CanonicalJson.Serialize(fromCopy, ModelJsonContext.Default.DesiredState));
        Assert.Equal(DesiredStateJson.Write(first), DesiredStateJson.Write(fromCopy));
        Assert.Equal(first.SpecHash, fromCopy.SpecHash);
        Assert.Equal(first.Projects.Select(p => p.Hash), fromCopy.Projects.Select(p => p.Hash));
        Assert.Equal(first.Pipeline?.Hash, fromCopy.Pipeline?.Hash);
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void Tag_order_in_the_spec_does_not_change_any_hash(PulumiPipeline document)
    {
        var reversed = document with
        {
            Spec = document.Spec with { Tags = document.Spec.Tags?.Reverse().ToDictionary(t => t.Key, t => t.Value) },
        };
        var a = PipelineRenderer.Render(document);
        var b = PipelineRenderer.Render(reversed);
        Assert.Equal(a.SpecHash, b.SpecHash);
        Assert.Equal(a.Projects.Select(p => p.Hash), b.Projects.Select(p => p.Hash));
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void Each_buildspec_reads_back_as_yaml_and_runs_its_stage(PulumiPipeline document)
    {
        var state = PipelineRenderer.Render(document);
        foreach (var (stage, desired) in document.Spec.Stages.Zip(state.Projects))
        {
            var commands = PipelineRendererTests.Commands(desired.Project.Source.Buildspec!);
            Assert.Equal(BuildspecRenderer.Operation(stage), commands[^1]);
            Assert.Contains(commands, c => c.StartsWith("pulumi stack select ", StringComparison.Ordinal));
            Assert.Contains(desired.Project.Environment.EnvironmentVariables!, v =>
                v is { Name: "PULUMI_ACCESS_TOKEN", Type: "PARAMETER_STORE" } && v.Value == document.Spec.Pulumi.AccessTokenParameter);
            var inPipeline = document.Spec.Pipeline?.Enabled == true && stage.On.PullRequest is null;
            Assert.Equal(inPipeline, desired.Webhook is null);
            Assert.Equal(inPipeline ? "CODEPIPELINE" : document.Spec.Source.Type, desired.Project.Source.Type);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}$")]
    private static partial Regex ProjectName();
}
