using System.Text.Json.Nodes;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Model.Tests.Aws;

public class ApiModelTests
{
    private static readonly ApiModel CodeBuild = ApiModels.CodeBuild;

    [Fact]
    public void The_embedded_models_expose_protocol_target_prefix_and_signing_name()
    {
        Assert.Equal("CodeBuild_20161006", CodeBuild.ServiceShapeName);
        Assert.Equal("application/x-amz-json-1.1", CodeBuild.ContentType);
        Assert.Equal("codebuild", CodeBuild.SigningName);
        Assert.Equal("application/x-amz-json-1.0", ApiModels.DynamoDbStreams.ContentType);
        Assert.Equal("CodePipeline_20150709", ApiModels.CodePipeline.ServiceShapeName);
        Assert.Contains("DescribeParameters", ApiModels.Ssm.Operations);
    }

    [Fact]
    public void A_valid_create_project_body_has_no_violations()
    {
        var body = JsonNode.Parse("""
            { "name": "website-staging",
              "source": { "type": "GITHUB", "location": "https://github.com/acme/website.git", "buildspec": "version: 0.2" },
              "artifacts": { "type": "NO_ARTIFACTS" },
              "environment": { "type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL",
                               "environmentVariables": [ { "name": "A", "value": "b", "type": "PLAINTEXT" } ] },
              "serviceRole": "arn:aws:iam::111122223333:role/x", "timeoutInMinutes": 60,
              "tags": [ { "key": "k", "value": "v" } ] }
            """);
        Assert.Empty(CodeBuild.ValidateInput("CreateProject", body));
    }

    [Fact]
    public void Unknown_members_missing_required_members_bad_enums_patterns_and_ranges_are_all_reported()
    {
        var body = JsonNode.Parse("""
            { "name": "-bad name",
              "source": { "type": "NOPE", "sourceTypo": 1 },
              "environment": { "type": "LINUX_CONTAINER", "image": "", "computeType": "BUILD_GENERAL1_SMALL" },
              "serviceRole": "r", "timeoutInMinutes": 4000 }
            """);
        var errors = CodeBuild.ValidateInput("CreateProject", body);
        Assert.Contains(errors, e => e.StartsWith("$.name:", StringComparison.Ordinal) && e.Contains("pattern", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.source.type:", StringComparison.Ordinal) && e.Contains("BITBUCKET", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.source.sourceTypo:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.artifacts:", StringComparison.Ordinal) && e.Contains("required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.environment.image:", StringComparison.Ordinal) && e.Contains("at least 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.timeoutInMinutes:", StringComparison.Ordinal) && e.Contains("maximum 2160", StringComparison.Ordinal));
    }

    [Fact]
    public void Lists_and_maps_check_their_members_and_lengths()
    {
        var tooMany = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode?)JsonValue.Create($"p{i}")).ToArray());
        var errors = CodeBuild.ValidateInput("BatchGetProjects", new JsonObject { ["names"] = tooMany });
        Assert.Contains(errors, e => e.Contains("at most 100", StringComparison.Ordinal));

        var pipelineErrors = ApiModels.CodePipeline.Validate("ActionDeclaration", JsonNode.Parse("""
            { "name": "Build", "actionTypeId": { "category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1" },
              "configuration": { "ProjectName": 7 } }
            """));
        Assert.Contains(pipelineErrors, e => e.StartsWith("$.configuration.ProjectName:", StringComparison.Ordinal));
    }

    [Fact]
    public void Enum_values_come_from_the_model()
    {
        var computeTypes = CodeBuild.EnumValues("ComputeType");
        Assert.Contains("BUILD_GENERAL1_SMALL", computeTypes);
        Assert.DoesNotContain("SMALL", computeTypes);
        Assert.Equal((2, 150), CodeBuild.Length("ProjectName"));
    }
}
