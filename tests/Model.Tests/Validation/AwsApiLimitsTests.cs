using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Model.Aws;
using Reconciler.Model.Aws.ApiModels;
using Reconciler.Model.Validation.Rules;

namespace Reconciler.Model.Tests.Validation;

/// <summary>Pins the constants validation enforces to the official AWS API models they were copied from.</summary>
public class AwsApiLimitsTests
{
    [Fact]
    public void CodeBuild_project_name_limits_match_the_model()
    {
        Assert.Equal((AwsApiLimits.CodeBuild.ProjectNameMinLength, AwsApiLimits.CodeBuild.ProjectNameMaxLength), Length(ApiModels.CodeBuild, "ProjectName"));
        Assert.Equal(AwsApiLimits.CodeBuild.ProjectNamePattern, ApiModels.CodeBuild.Pattern("ProjectName"));
    }

    [Fact]
    public void CodeBuild_enums_match_the_model()
    {
        Assert.Equal(Sorted(ApiModels.CodeBuild.EnumValues("ComputeType")), Sorted(AwsApiLimits.CodeBuild.ComputeTypes));
        Assert.Equal(Sorted(ApiModels.CodeBuild.EnumValues("EnvironmentType")), Sorted(AwsApiLimits.CodeBuild.EnvironmentTypes));
        Assert.Equal(Sorted(ApiModels.CodeBuild.EnumValues("EnvironmentVariableType")), Sorted(AwsApiLimits.CodeBuild.EnvironmentVariableTypes));
    }

    [Fact]
    public void The_timeout_range_is_CreateProjects_BuildTimeOut()
    {
        Assert.Empty(ApiModels.CodeBuild.Validate("BuildTimeOut", Number(BuildRules.MinTimeoutMinutes)));
        Assert.Empty(ApiModels.CodeBuild.Validate("BuildTimeOut", Number(BuildRules.MaxTimeoutMinutes)));
        Assert.NotEmpty(ApiModels.CodeBuild.Validate("BuildTimeOut", Number(BuildRules.MinTimeoutMinutes - 1)));
        Assert.NotEmpty(ApiModels.CodeBuild.Validate("BuildTimeOut", Number(BuildRules.MaxTimeoutMinutes + 1)));
    }

    [Fact]
    public void CodeBuild_tag_limits_match_the_model()
    {
        Assert.Equal(AwsApiLimits.CodeBuild.MaxTags, Length(ApiModels.CodeBuild, "TagList").Max);
        Assert.Equal(AwsApiLimits.CodeBuild.TagKeyMaxLength, Length(ApiModels.CodeBuild, "KeyInput").Max);
        Assert.Equal(AwsApiLimits.CodeBuild.TagValueMaxLength, Length(ApiModels.CodeBuild, "ValueInput").Max);
        Assert.Equal(AwsApiLimits.CodeBuild.TagPattern, ApiModels.CodeBuild.Pattern("KeyInput"));
        Assert.Equal(AwsApiLimits.CodeBuild.TagPattern, ApiModels.CodeBuild.Pattern("ValueInput"));
    }

    [Fact]
    public void CodePipeline_limits_match_the_model_and_are_no_stricter_than_CodeBuilds_for_tags()
    {
        Assert.Equal(AwsApiLimits.CodePipeline.PipelineNameMaxLength, Length(ApiModels.CodePipeline, "PipelineName").Max);
        Assert.Equal(AwsApiLimits.CodePipeline.PipelineNamePattern, ApiModels.CodePipeline.Pattern("PipelineName"));
        Assert.Equal(AwsApiLimits.CodePipeline.TagKeyMaxLength, Length(ApiModels.CodePipeline, "TagKey").Max);
        Assert.Equal(AwsApiLimits.CodePipeline.TagValueMaxLength, Length(ApiModels.CodePipeline, "TagValue").Max);
        Assert.True(AwsApiLimits.CodeBuild.TagKeyMaxLength <= AwsApiLimits.CodePipeline.TagKeyMaxLength);
        Assert.True(AwsApiLimits.CodeBuild.TagValueMaxLength <= AwsApiLimits.CodePipeline.TagValueMaxLength);
    }

    [Fact]
    public void Parameter_name_length_matches_the_SSM_model() =>
        Assert.Equal(AwsApiLimits.Ssm.ParameterNameMaxLength, Length(ApiModels.Ssm, "PSParameterName").Max);

    private static (int Min, int Max) Length(ApiModel model, string shape)
    {
        var (min, max) = model.Length(shape);
        return ((int)(min ?? 0), (int)(max ?? long.MaxValue));
    }

    // Parsed like a request body, as the model checker expects values to arrive.
    private static JsonNode Number(int value) => JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture))!;

    private static List<string> Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToList();
}
