using System.Text.Json.Nodes;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

public class CodePipelineClientTests
{
    [Fact]
    public async Task GetPipelineState_keeps_the_latest_status_per_stage()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("""
            {"pipelineName":"website","pipelineVersion":4,"created":1700000000,"updated":1700000500,
             "stageStates":[{"stageName":"Source","latestExecution":{"pipelineExecutionId":"e1","status":"Succeeded"},"actionStates":[]},
                            {"stageName":"staging","inboundTransitionState":{"enabled":true}}]}
            """));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var state = await clients.CodePipeline.GetPipelineStateAsync("website", CancellationToken.None);

        Assert.Equal(4, state.PipelineVersion);
        Assert.Equal(2, state.StageStates.Count);
        Assert.Equal(("Source", "Succeeded"), (state.StageStates[0].StageName, state.StageStates[0].LatestStatus));
        Assert.Null(state.StageStates[1].LatestStatus);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_500), state.Updated);
    }

    [Fact]
    public async Task ListTagsForResource_follows_every_page()
    {
        await using var stub = await AwsStubServer.StartAsync(r => (string?)JsonNode.Parse(r.Body)!["nextToken"] switch
        {
            null => StubResponse.Ok("""{"tags":[{"key":"a","value":"1"}],"nextToken":"n1"}"""),
            "n1" => StubResponse.Ok("""{"tags":[{"key":"b","value":"2"}],"nextToken":"n2"}"""),
            _ => StubResponse.Ok("""{"tags":[{"key":"c","value":"3"}]}"""),
        });
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var tags = await clients.CodePipeline.ListTagsForResourceAsync(AwsSamples.PipelineArn, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], tags.Select(t => t.Key));
        Assert.Equal(3, stub.Count("ListTagsForResource"));
    }

    [Fact]
    public async Task CreatePipeline_sends_tags_and_pipeline_and_omits_empty_tags()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("""{"pipeline":{"name":"website","roleArn":"r","stages":[],"version":1}}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var created = await clients.CodePipeline.CreatePipelineAsync(AwsSamples.Pipeline(), [], CancellationToken.None);

        Assert.Equal(1, created.Version);
        var body = JsonNode.Parse(stub.Requests.Single().Body)!.AsObject();
        Assert.False(body.ContainsKey("tags"));
        Assert.Equal("V2", (string?)body["pipeline"]!["pipelineType"]);
    }

    [Fact]
    public async Task A_missing_pipeline_is_PipelineNotFound()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Error(400, "PipelineNotFoundException", "The account with id '111122223333' does not include a pipeline with the name 'x'"));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var error = await Assert.ThrowsAsync<AwsNotFoundException>(() => clients.CodePipeline.GetPipelineAsync("x", CancellationToken.None));

        Assert.Equal("PipelineNotFoundException", error.ErrorCode);
        Assert.Equal(1, stub.Count("GetPipeline"));
    }
}
