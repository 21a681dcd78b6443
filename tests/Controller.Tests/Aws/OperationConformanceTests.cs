using System.Text.Json.Nodes;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>Every typed operation sends a body that its API model accepts, framed and signed as the model says.</summary>
public class OperationConformanceTests
{
    // A minimal valid answer per operation, so each call completes.
    private static readonly Dictionary<string, string> Answers = new()
    {
        ["CreateProject"] = """{"project":{"name":"website-staging"}}""",
        ["UpdateProject"] = """{"project":{"name":"website-staging"}}""",
        ["CreateWebhook"] = """{"webhook":{"url":"u"}}""",
        ["UpdateWebhook"] = """{"webhook":{"url":"u"}}""",
        ["GetPipeline"] = """{"pipeline":{"name":"website","roleArn":"r","stages":[]}}""",
        ["CreatePipeline"] = """{"pipeline":{"name":"website","roleArn":"r","stages":[]}}""",
        ["UpdatePipeline"] = """{"pipeline":{"name":"website","roleArn":"r","stages":[]}}""",
        ["DescribeStream"] = """{"StreamDescription":{"StreamArn":"s","StreamStatus":"ENABLED","Shards":[]}}""",
    };

    private static async Task CallEveryOperation(AwsClients clients)
    {
        var ct = CancellationToken.None;
        await clients.CodeBuild.BatchGetProjectsAsync(["website-preview", "website-staging"], ct);
        await clients.CodeBuild.ListProjectsAsync(null, ct);
        await clients.CodeBuild.ListProjectsAsync("token-2", ct);
        await clients.CodeBuild.CreateProjectAsync(AwsSamples.Project(), ct);
        await clients.CodeBuild.UpdateProjectAsync(AwsSamples.Project(), ct);
        await clients.CodeBuild.DeleteProjectAsync("website-staging", ct);
        await clients.CodeBuild.CreateWebhookAsync(AwsSamples.Webhook(), ct);
        await clients.CodeBuild.UpdateWebhookAsync(AwsSamples.Webhook(), ct);
        await clients.CodeBuild.DeleteWebhookAsync("website-preview", ct);
        await clients.CodeBuild.BatchGetBuildsAsync(["website-staging:0b4f6f3c-1111-2222-3333-444455556666"], ct);
        await clients.CodeBuild.ListBuildsForProjectAsync("website-staging", null, ct);

        await clients.CodePipeline.ListPipelinesAsync(null, ct);
        await clients.CodePipeline.GetPipelineAsync("website", ct);
        await clients.CodePipeline.CreatePipelineAsync(AwsSamples.Pipeline(), [new AwsTag { Key = OwnershipTags.Spec, Value = "website" }], ct);
        await clients.CodePipeline.UpdatePipelineAsync(AwsSamples.Pipeline() with { Version = 2 }, ct);
        await clients.CodePipeline.DeletePipelineAsync("website", ct);
        await clients.CodePipeline.GetPipelineStateAsync("website", ct);
        await clients.CodePipeline.ListTagsForResourceAsync(AwsSamples.PipelineArn, ct);
        await clients.CodePipeline.TagResourceAsync(AwsSamples.PipelineArn, [new AwsTag { Key = OwnershipTags.Uid, Value = "0c1d" }], ct);
        await clients.CodePipeline.UntagResourceAsync(AwsSamples.PipelineArn, [OwnershipTags.Uid], ct);

        await clients.DynamoDbStreams.ListStreamsAsync("specs", ct);
        await clients.DynamoDbStreams.DescribeStreamAsync(AwsSamples.StreamArn, ct);
        await clients.DynamoDbStreams.GetShardIteratorAsync(AwsSamples.StreamArn, "shardId-00000001700000000000-abcdef01", "TRIM_HORIZON", null, ct);
        await clients.DynamoDbStreams.GetShardIteratorAsync(AwsSamples.StreamArn, "shardId-00000001700000000000-abcdef01", "AFTER_SEQUENCE_NUMBER", "000000000000000000001", ct);
        await clients.DynamoDbStreams.GetRecordsAsync("arn:aws:dynamodb:us-east-1:111122223333:table/specs/stream/2024|1|AAAAAAAAAAGQ", 100, ct);

        await clients.Ssm.ParameterExistsAsync("/pulumi/access-token", ct);
    }

    [Fact]
    public async Task Every_request_body_validates_against_its_input_shape_and_is_framed_per_the_model()
    {
        await using var stub = await AwsStubServer.StartAsync(r => StubResponse.Ok(Answers.GetValueOrDefault(r.Operation, "{}")));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        await CallEveryOperation(clients);

        var models = ClientOperations.All.ToDictionary(o => o.Model.ServiceShapeName, o => o.Model);
        var problems = new List<string>();
        foreach (var request in stub.Requests)
        {
            var prefix = request.Target[..request.Target.IndexOf('.', StringComparison.Ordinal)];
            Assert.True(models.TryGetValue(prefix, out var model), $"unknown target {request.Target}");
            Assert.Equal(model.ContentType, request.ContentType);
            Assert.Contains($"/us-east-1/{model.SigningName}/aws4_request,", request.Headers["authorization"], StringComparison.Ordinal);
            problems.AddRange(model.ValidateInput(request.Operation, JsonNode.Parse(request.Body)).Select(p => $"{request.Target} {p}"));
        }
        Assert.Empty(problems);

        var called = stub.Requests.Select(r => r.Target).ToHashSet();
        var expected = ClientOperations.All.SelectMany(o => o.Operations.Select(op => $"{o.Model.ServiceShapeName}.{op}")).ToHashSet();
        Assert.Equal(expected.Order(), called.Order());
    }

    [Fact]
    public async Task Read_only_project_members_and_rotateSecret_are_not_sent_where_the_input_lacks_them()
    {
        await using var stub = await AwsStubServer.StartAsync(r => StubResponse.Ok(Answers.GetValueOrDefault(r.Operation, "{}")));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        await clients.CodeBuild.CreateProjectAsync(AwsSamples.Project(), CancellationToken.None);
        await clients.CodeBuild.CreateWebhookAsync(AwsSamples.Webhook() with { RotateSecret = true }, CancellationToken.None);
        await clients.CodeBuild.UpdateWebhookAsync(AwsSamples.Webhook() with { RotateSecret = true }, CancellationToken.None);

        var create = JsonNode.Parse(stub.Requests.Single(r => r.Operation == "CreateProject").Body)!.AsObject();
        Assert.False(create.ContainsKey("arn") || create.ContainsKey("created") || create.ContainsKey("lastModified") || create.ContainsKey("webhook"));
        Assert.Equal("/pulumi/access-token", (string?)create["environment"]!["environmentVariables"]![0]!["value"]);
        Assert.False(JsonNode.Parse(stub.Requests.Single(r => r.Operation == "CreateWebhook").Body)!.AsObject().ContainsKey("rotateSecret"));
        Assert.True((bool?)JsonNode.Parse(stub.Requests.Single(r => r.Operation == "UpdateWebhook").Body)!["rotateSecret"]);
    }

    [Fact]
    public void The_service_descriptors_agree_with_the_models()
    {
        foreach (var (service, model, operations) in ClientOperations.All)
        {
            Assert.Equal(model.ServiceShapeName, service.TargetPrefix);
            Assert.Equal(model.ContentType, service.ContentType);
            Assert.Equal(model.SigningName, service.SigningName);
            Assert.All(operations, op => Assert.Contains(op, model.Operations));
        }
    }
}
