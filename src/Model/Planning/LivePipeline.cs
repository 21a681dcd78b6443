using Reconciler.Model.Aws;

namespace Reconciler.Model.Planning;

/// <summary>A pipeline as GetPipeline and ListTagsForResource describe it.</summary>
public sealed record LivePipeline(PipelineDeclaration Declaration, PipelineMetadata? Metadata, IReadOnlyList<AwsTag> Tags);
