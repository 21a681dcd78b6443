using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reconciler.LocalCloud;
using Reconciler.LocalCloud.Services;
using Reconciler.LocalCloud.State;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class RequestValidationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private AwsJsonTestClient Client => fixture.Client;

    private static IReadOnlyList<AwsJsonService> Services()
    {
        var state = new CloudState(new ResourceArns("us-east-1", "123456789012"), new FakeTimeProvider());
        return [new CodeBuildService(state, 100), new CodePipelineService(state, 100), new SsmService(state)];
    }

    public static TheoryData<string, string> ServedOperations()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Services())
        {
            foreach (var operation in service.Operations.Order(StringComparer.Ordinal))
            {
                data.Add(service.Name, operation);
            }
        }
        return data;
    }

    [Fact]
    public void LocalCloud_serves_exactly_the_operations_the_controller_needs()
    {
        var served = Services().ToDictionary(s => s.Name, s => s.Operations.Order(StringComparer.Ordinal).ToList());

        Assert.Equal(
            ["BatchGetBuilds", "BatchGetProjects", "CreateProject", "CreateWebhook", "DeleteProject", "DeleteWebhook",
             "ListBuildsForProject", "ListProjects", "UpdateProject", "UpdateWebhook"],
            served["CodeBuild"]);
        Assert.Equal(
            ["CreatePipeline", "DeletePipeline", "GetPipeline", "GetPipelineState", "ListPipelines", "ListTagsForResource",
             "TagResource", "UntagResource", "UpdatePipeline"],
            served["CodePipeline"]);
        Assert.Equal(["DescribeParameters", "PutParameter"], served["SSM"]);
    }

    [Theory]
    [MemberData(nameof(ServedOperations))]
    public async Task Every_served_operation_exists_in_the_model_and_is_validated_against_its_input_shape(string serviceName, string operation)
    {
        var service = Services().Single(s => s.Name == serviceName);
        Assert.Contains(operation, service.Model.Operations);
        var input = service.Model.InputShape(operation);
        Assert.NotNull(input);

        var answer = await Client.CallAsync(service.Model, operation, """{ "bogusMember": 1 }""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.EndsWith("ValidationException", answer.ErrorType, StringComparison.Ordinal);
        Assert.Contains($"$.bogusMember: {input} has no member \"bogusMember\"", answer.Message, StringComparison.Ordinal);
        var required = service.Model.Validate(input!, new System.Text.Json.Nodes.JsonObject());
        Assert.All(required, violation => Assert.Contains(violation, answer.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_CodeBuild_constraint_violation_is_Corals_ValidationException_counting_the_errors()
    {
        var names = string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"p{i}\""));

        var answer = await Client.CodeBuild("BatchGetProjects", $$"""{ "names": [{{names}}] }""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("com.amazon.coral.validate#ValidationException", answer.ErrorType);
        Assert.Equal("1 validation error detected: $.names: 101 items, at most 100 allowed", answer.Message);
    }

    [Fact]
    public async Task A_CodePipeline_constraint_violation_is_its_own_ValidationException()
    {
        var declaration = CodePipelineOperationTests.Declaration("bad name!");
        declaration.Remove("roleArn");
        declaration["executionMode"] = "SOMETIMES";

        var answer = await Client.CodePipeline("CreatePipeline", $$"""{ "pipeline": {{declaration.ToJsonString()}} }""");

        Assert.Equal("com.amazonaws.codepipeline#ValidationException", answer.ErrorType);
        Assert.StartsWith("3 validation errors detected: ", answer.Message, StringComparison.Ordinal);
        Assert.Contains("$.pipeline.name", answer.Message, StringComparison.Ordinal);
        Assert.Contains("$.pipeline.roleArn: required member", answer.Message, StringComparison.Ordinal);
        Assert.Contains("\"SOMETIMES\" is not a valid ExecutionMode", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CodeBuild_20161006.NoSuchOperation", "Unknown operation")]
    [InlineData("Nobody_20200101.ListProjects", "Unknown operation")]
    [InlineData("CodeBuild_20161006.StartBuild", "LocalCloud does not serve CodeBuild.StartBuild")]
    [InlineData("", "no X-Amz-Target")]
    public async Task An_unknown_or_unserved_target_is_UnknownOperationException(string target, string message)
    {
        var answer = await Client.SendAsync(ApiModels.CodeBuild, target, """{ "projectName": "x" }""");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("com.amazon.coral.service#UnknownOperationException", answer.ErrorType);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_content_type_finds_no_operation_while_plain_json_is_accepted()
    {
        var wrong = await Client.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}", new RequestTweak { ContentType = "text/plain" });
        var json = await Client.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}", new RequestTweak { ContentType = "application/json" });

        Assert.Equal(HttpStatusCode.NotFound, wrong.Status);
        Assert.Equal("com.amazon.coral.service#UnknownOperationException", wrong.ErrorType);
        Assert.Contains("text/plain", wrong.Message, StringComparison.Ordinal);
        json.EnsureOk();
        Assert.Equal("application/x-amz-json-1.1", json.ContentType);
    }

    [Fact]
    public async Task A_body_that_is_not_a_JSON_object_is_SerializationException()
    {
        var broken = await Client.CodeBuild("ListProjects", "{ not json");
        var array = await Client.CodeBuild("ListProjects", "[]");

        Assert.Equal("com.amazon.coral.service#SerializationException", broken.ErrorType);
        Assert.Equal("com.amazon.coral.service#SerializationException", array.ErrorType);
    }

    [Fact]
    public async Task Every_answer_carries_its_own_request_id_and_errors_their_type_header()
    {
        var ok = (await Client.CodeBuild("ListProjects", "{}")).EnsureOk();
        var error = await Client.CodeBuild("UpdateProject", """{ "name": "never-created" }""");

        Assert.True(Guid.TryParse(ok.RequestId, out _));
        Assert.NotEqual(ok.RequestId, error.RequestId);
        Assert.False(ok.Headers.Contains("x-amzn-ErrorType"));
        Assert.Equal("ResourceNotFoundException", error.Headers.GetValues("x-amzn-ErrorType").Single());
    }
}
