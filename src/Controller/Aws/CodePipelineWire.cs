using Reconciler.Model.Aws;

namespace Reconciler.Controller.Aws;

// Request and response envelopes of the CodePipeline operations (AWS JSON 1.1, camelCase members as in
// codepipeline-2015-07-09).

internal sealed record ListPipelinesRequest(string? NextToken);

internal sealed record ListPipelinesResponse(IReadOnlyList<PipelineSummary>? Pipelines, string? NextToken);

/// <summary>The input of GetPipeline, DeletePipeline and GetPipelineState.</summary>
internal sealed record PipelineNameRequest(string Name);

internal sealed record GetPipelineResponse(PipelineDeclaration? Pipeline, PipelineMetadata? Metadata);

internal sealed record CreatePipelineRequest(PipelineDeclaration Pipeline, IReadOnlyList<AwsTag>? Tags);

internal sealed record UpdatePipelineRequest(PipelineDeclaration Pipeline);

internal sealed record PipelineResponse(PipelineDeclaration? Pipeline);

internal sealed record GetPipelineStateResponse(
    string? PipelineName,
    int? PipelineVersion,
    IReadOnlyList<StageStateWire>? StageStates,
    DateTimeOffset? Created,
    DateTimeOffset? Updated);

internal sealed record StageStateWire(string? StageName, StageExecutionWire? LatestExecution);

internal sealed record StageExecutionWire(string? Status, string? PipelineExecutionId);

internal sealed record ListTagsForResourceRequest(string ResourceArn, string? NextToken);

internal sealed record ListTagsForResourceResponse(IReadOnlyList<AwsTag>? Tags, string? NextToken);

internal sealed record TagResourceRequest(string ResourceArn, IReadOnlyList<AwsTag> Tags);

internal sealed record UntagResourceRequest(string ResourceArn, IReadOnlyList<string> TagKeys);
