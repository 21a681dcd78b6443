using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Tests;

/// <summary>
/// Omitted fields read back as the documented defaults. The source generator alone would leave them null or 0
/// (dotnet/runtime#84484); these tests keep the init accessors that prevent it honest.
/// </summary>
public class DocumentDefaultsTests
{
    [Fact]
    public void Omitted_optional_spec_fields_read_back_as_their_defaults()
    {
        const string json = """
            { "apiVersion": "reconciler/v1", "kind": "PulumiPipeline", "metadata": { "name": "w" },
              "spec": { "source": { "location": "https://github.com/a/b.git" }, "build": { "serviceRoleArn": "r" },
                        "stages": [ { "name": "s", "stack": "dev", "on": { "tag": "t" } } ] } }
            """;

        var doc = JsonSerializer.Deserialize(json, ModelJsonContext.Default.PulumiPipeline)!;

        Assert.Equal("GITHUB", doc.Spec.Source.Type);
        Assert.Equal("aws/codebuild/standard:7.0", doc.Spec.Build.Image);
        Assert.Equal("BUILD_GENERAL1_SMALL", doc.Spec.Build.ComputeType);
        Assert.Equal("LINUX_CONTAINER", doc.Spec.Build.EnvironmentType);
        Assert.Equal(60, doc.Spec.Build.TimeoutMinutes);
        Assert.Equal(StageOperations.Preview, doc.Spec.Stages[0].Operation);
        Assert.Equal(DriftPolicies.Correct, doc.Spec.DriftPolicy);
        Assert.Equal(DeletionPolicies.Delete, doc.Spec.DeletionPolicy);
        Assert.NotNull(doc.Spec.Pulumi);
        Assert.Equal("", doc.Spec.Pulumi.CliVersion);
        Assert.Null(doc.Spec.Pipeline);
    }

    [Fact]
    public void Omitted_status_collections_read_back_empty_not_null()
    {
        var status = JsonSerializer.Deserialize("""{ "observedGeneration": 2, "conditions": [ { "type": "Ready" } ] }""", ModelJsonContext.Default.PipelineStatus)!;

        Assert.Empty(status.Resources);
        Assert.Equal(ConditionStatus.Unknown, status.Conditions[0].Status);
        Assert.Equal("", status.Conditions[0].Reason);
    }

    [Fact]
    public void Values_that_are_given_are_kept()
    {
        var build = JsonSerializer.Deserialize(
            """{ "image": "custom:1", "computeType": "BUILD_GENERAL1_LARGE", "environmentType": "ARM_CONTAINER", "serviceRoleArn": "r", "timeoutMinutes": 90 }""",
            ModelJsonContext.Default.BuildSettings);

        Assert.Equal(new BuildSettings { Image = "custom:1", ComputeType = "BUILD_GENERAL1_LARGE", EnvironmentType = "ARM_CONTAINER", ServiceRoleArn = "r", TimeoutMinutes = 90 }, build);
    }
}
