using System.Text.Json;
using Reconciler.Model.Aws;
using Reconciler.Tests.Shared;

namespace Reconciler.Model.Tests.Validation;

/// <summary>Pins the constants validation enforces to the official AWS API models they were copied from.</summary>
public class AwsApiLimitsTests
{
    private static readonly Lazy<JsonElement> CodeBuild = new(() => Load("codebuild-2016-10-06.json"));
    private static readonly Lazy<JsonElement> CodePipeline = new(() => Load("codepipeline-2015-07-09.json"));
    private static readonly Lazy<JsonElement> Ssm = new(() => Load("ssm-2014-11-06.json"));

    [Fact]
    public void CodeBuild_project_name_limits_match_the_model()
    {
        var shape = Shape(CodeBuild.Value, "com.amazonaws.codebuild#ProjectName");
        Assert.Equal(AwsApiLimits.CodeBuild.ProjectNameMinLength, Length(shape, "min"));
        Assert.Equal(AwsApiLimits.CodeBuild.ProjectNameMaxLength, Length(shape, "max"));
        Assert.Equal(AwsApiLimits.CodeBuild.ProjectNamePattern, Pattern(shape));
    }

    [Fact]
    public void CodeBuild_enums_match_the_model()
    {
        Assert.Equal(Enum(CodeBuild.Value, "com.amazonaws.codebuild#ComputeType"), AwsApiLimits.CodeBuild.ComputeTypes.Order(StringComparer.Ordinal));
        Assert.Equal(Enum(CodeBuild.Value, "com.amazonaws.codebuild#EnvironmentType"), AwsApiLimits.CodeBuild.EnvironmentTypes.Order(StringComparer.Ordinal));
        Assert.Equal(Enum(CodeBuild.Value, "com.amazonaws.codebuild#EnvironmentVariableType"), AwsApiLimits.CodeBuild.EnvironmentVariableTypes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CodeBuild_tag_limits_match_the_model()
    {
        Assert.Equal(AwsApiLimits.CodeBuild.MaxTags, Length(Shape(CodeBuild.Value, "com.amazonaws.codebuild#TagList"), "max"));
        var key = Shape(CodeBuild.Value, "com.amazonaws.codebuild#KeyInput");
        var value = Shape(CodeBuild.Value, "com.amazonaws.codebuild#ValueInput");
        Assert.Equal(AwsApiLimits.CodeBuild.TagKeyMaxLength, Length(key, "max"));
        Assert.Equal(AwsApiLimits.CodeBuild.TagValueMaxLength, Length(value, "max"));
        Assert.Equal(AwsApiLimits.CodeBuild.TagPattern, Pattern(key));
        Assert.Equal(Pattern(key), Pattern(value));
    }

    [Fact]
    public void CodePipeline_limits_match_the_model_and_are_no_stricter_than_CodeBuilds_for_tags()
    {
        var name = Shape(CodePipeline.Value, "com.amazonaws.codepipeline#PipelineName");
        Assert.Equal(AwsApiLimits.CodePipeline.PipelineNameMaxLength, Length(name, "max"));
        Assert.Equal(AwsApiLimits.CodePipeline.PipelineNamePattern, Pattern(name));
        Assert.Equal(AwsApiLimits.CodePipeline.TagKeyMaxLength, Length(Shape(CodePipeline.Value, "com.amazonaws.codepipeline#TagKey"), "max"));
        Assert.Equal(AwsApiLimits.CodePipeline.TagValueMaxLength, Length(Shape(CodePipeline.Value, "com.amazonaws.codepipeline#TagValue"), "max"));
        Assert.True(AwsApiLimits.CodeBuild.TagKeyMaxLength <= AwsApiLimits.CodePipeline.TagKeyMaxLength);
        Assert.True(AwsApiLimits.CodeBuild.TagValueMaxLength <= AwsApiLimits.CodePipeline.TagValueMaxLength);
    }

    [Fact]
    public void Parameter_name_length_matches_the_SSM_model() =>
        Assert.Equal(AwsApiLimits.Ssm.ParameterNameMaxLength, Length(Shape(Ssm.Value, "com.amazonaws.ssm#PSParameterName"), "max"));

    private static JsonElement Load(string file) => JsonDocument.Parse(File.ReadAllText(RepoPaths.AwsModel(file))).RootElement;

    private static JsonElement Shape(JsonElement model, string id) => model.GetProperty("shapes").GetProperty(id);

    private static int Length(JsonElement shape, string bound) =>
        shape.GetProperty("traits").GetProperty("smithy.api#length").GetProperty(bound).GetInt32();

    private static string Pattern(JsonElement shape) => shape.GetProperty("traits").GetProperty("smithy.api#pattern").GetString()!;

    private static List<string> Enum(JsonElement model, string id) =>
        Shape(model, id).GetProperty("members").EnumerateObject()
            .Select(m => m.Value.GetProperty("traits").GetProperty("smithy.api#enumValue").GetString()!)
            .Order(StringComparer.Ordinal).ToList();
}
