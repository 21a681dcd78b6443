using Reconciler.Model.Aws;

namespace Reconciler.Controller.Aws;

/// <summary>The CodePipeline operations the controller calls, over the AWS JSON 1.1 protocol.</summary>
public interface ICodePipelineClient
{
    Task<Page<PipelineSummary>> ListPipelinesAsync(string? nextToken, CancellationToken cancellationToken);

    Task<GetPipelineResult> GetPipelineAsync(string name, CancellationToken cancellationToken);

    Task<PipelineDeclaration> CreatePipelineAsync(PipelineDeclaration pipeline, IReadOnlyList<AwsTag>? tags, CancellationToken cancellationToken);

    Task<PipelineDeclaration> UpdatePipelineAsync(PipelineDeclaration pipeline, CancellationToken cancellationToken);

    Task DeletePipelineAsync(string name, CancellationToken cancellationToken);

    Task<PipelineState> GetPipelineStateAsync(string name, CancellationToken cancellationToken);

    /// <summary>All tags of a resource (pages are followed).</summary>
    Task<IReadOnlyList<AwsTag>> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken);

    Task TagResourceAsync(string resourceArn, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken);

    Task UntagResourceAsync(string resourceArn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken);
}

/// <summary>The answer of GetPipeline.</summary>
public sealed record GetPipelineResult(PipelineDeclaration Pipeline, PipelineMetadata? Metadata);

/// <summary>The answer of GetPipelineState, limited to the latest status per stage.</summary>
public sealed record PipelineState
{
    public string PipelineName { get; init; } = "";
    public int? PipelineVersion { get; init; }
    public IReadOnlyList<StageState> StageStates { get; init; } = [];
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Updated { get; init; }
}

/// <summary>One stage's latest execution status.</summary>
public sealed record StageState
{
    public string StageName { get; init; } = "";
    public string? LatestStatus { get; init; }
}
