using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Tests;

/// <summary>
/// Omitted fields read back as defaults, given ones as given. The source generator alone would leave omitted
/// init-only properties null or 0 (dotnet/runtime#84484); the spec's defaults are checked in DocumentSerializationTests.
/// </summary>
public class DocumentDefaultsTests
{
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
