using Reconciler.Model.Aws;

namespace Reconciler.Controller.Aws;

/// <summary>The CodePipeline operations over AWS JSON 1.1.</summary>
public sealed class CodePipelineClient(AwsJsonClient client) : ICodePipelineClient
{
    private static AwsWireJsonContext Json => AwsWireJsonContext.Default;

    public async Task<Page<PipelineSummary>> ListPipelinesAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("ListPipelines", new ListPipelinesRequest(nextToken), Json.ListPipelinesRequest, Json.ListPipelinesResponse, cancellationToken).ConfigureAwait(false);
        return new Page<PipelineSummary>(response.Pipelines ?? [], CodeBuildClient.NullIfEmpty(response.NextToken));
    }

    public async Task<GetPipelineResult> GetPipelineAsync(string name, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("GetPipeline", new PipelineNameRequest(name), Json.PipelineNameRequest, Json.GetPipelineResponse, cancellationToken).ConfigureAwait(false);
        return new GetPipelineResult(Normalize(response.Pipeline, "GetPipeline"), response.Metadata);
    }

    public async Task<PipelineDeclaration> CreatePipelineAsync(PipelineDeclaration pipeline, IReadOnlyList<AwsTag>? tags, CancellationToken cancellationToken)
    {
        var body = new CreatePipelineRequest(pipeline, tags is { Count: > 0 } ? tags : null);
        var response = await client.SendAsync("CreatePipeline", body, Json.CreatePipelineRequest, Json.PipelineResponse, cancellationToken).ConfigureAwait(false);
        return Normalize(response.Pipeline, "CreatePipeline");
    }

    public async Task<PipelineDeclaration> UpdatePipelineAsync(PipelineDeclaration pipeline, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("UpdatePipeline", new UpdatePipelineRequest(pipeline), Json.UpdatePipelineRequest, Json.PipelineResponse, cancellationToken).ConfigureAwait(false);
        return Normalize(response.Pipeline, "UpdatePipeline");
    }

    public Task DeletePipelineAsync(string name, CancellationToken cancellationToken) =>
        client.SendAsync("DeletePipeline", new PipelineNameRequest(name), Json.PipelineNameRequest, Json.EmptyResponse, cancellationToken);

    public async Task<PipelineState> GetPipelineStateAsync(string name, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("GetPipelineState", new PipelineNameRequest(name), Json.PipelineNameRequest, Json.GetPipelineStateResponse, cancellationToken).ConfigureAwait(false);
        return new PipelineState
        {
            PipelineName = response.PipelineName ?? name,
            PipelineVersion = response.PipelineVersion,
            StageStates = [.. (response.StageStates ?? []).Select(s => new StageState { StageName = s.StageName ?? "", LatestStatus = s.LatestExecution?.Status })],
            Created = response.Created,
            Updated = response.Updated,
        };
    }

    public async Task<IReadOnlyList<AwsTag>> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken)
    {
        var tags = new List<AwsTag>();
        string? nextToken = null;
        do
        {
            var response = await client.SendAsync("ListTagsForResource", new ListTagsForResourceRequest(resourceArn, nextToken), Json.ListTagsForResourceRequest, Json.ListTagsForResourceResponse, cancellationToken).ConfigureAwait(false);
            tags.AddRange(response.Tags ?? []);
            nextToken = CodeBuildClient.NullIfEmpty(response.NextToken);
        }
        while (nextToken is not null);
        return tags;
    }

    public Task TagResourceAsync(string resourceArn, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken) =>
        client.SendAsync("TagResource", new TagResourceRequest(resourceArn, tags), Json.TagResourceRequest, Json.EmptyResponse, cancellationToken);

    public Task UntagResourceAsync(string resourceArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken) =>
        client.SendAsync("UntagResource", new UntagResourceRequest(resourceArn, tagKeys), Json.UntagResourceRequest, Json.EmptyResponse, cancellationToken);

    // A null list in the response would otherwise land in a non-nullable member of the model.
    private PipelineDeclaration Normalize(PipelineDeclaration? pipeline, string operation)
    {
        if (pipeline is null)
        {
            throw new AwsServiceErrorException(client.Service.Name, operation, "MalformedResponse", "the response has no pipeline", null, 200);
        }
        return pipeline with
        {
            Stages = [.. (pipeline.Stages ?? []).Select(stage => stage with { Actions = stage.Actions ?? [] })],
        };
    }
}
