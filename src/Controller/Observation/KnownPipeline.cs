using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;

namespace Reconciler.Controller.Observation;

/// <summary>
/// A pipeline as the spec's status last saw it in sync with the declaration it desires now: while ListPipelines shows
/// the same version and update time, it is that declaration with those tags, and a new process need not read it.
/// </summary>
public sealed record KnownPipeline(ObservedPipeline Observed, LivePipeline AsSeen)
{
    /// <summary>True when the summary shows the pipeline unchanged since it was seen.</summary>
    public bool Matches(PipelineSummary summary) => summary.Version == Observed.Version && summary.Updated == Observed.Updated;

    /// <summary>The pipeline the status records as in sync for a declaration of <paramref name="desired"/>'s digest, or null.</summary>
    public static KnownPipeline? From(DesiredPipeline desired, ResourceStatus resource, string syncedState) =>
        resource.Observed is { } observed
        && resource.Kind == nameof(ResourceKind.CodePipeline)
        && resource.Name == desired.Declaration.Name
        && resource.State == syncedState
        && observed.Digest == desired.Hash
            ? new KnownPipeline(observed, new LivePipeline(
                desired.Declaration with { Version = observed.Version },
                new PipelineMetadata { PipelineArn = resource.Arn, Updated = observed.Updated },
                desired.Tags))
            : null;

    /// <summary>What a status records of a live pipeline found equal to <paramref name="desired"/>; null when it lacks a version or update time.</summary>
    public static ObservedPipeline? Stamp(DesiredPipeline desired, LivePipeline live) =>
        live.Declaration.Version is { } version && live.Metadata?.Updated is { } updated
            ? new ObservedPipeline { Version = version, Updated = updated, Digest = desired.Hash }
            : null;
}
