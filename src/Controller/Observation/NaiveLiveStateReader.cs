using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Observation;

/// <summary>One read per resource, every time: the baseline that <see cref="LiveStateReader"/> is measured against.</summary>
public sealed class NaiveLiveStateReader(ICodeBuildClient codeBuild, ICodePipelineClient codePipeline) : ILiveStateReader
{
    public async Task<LiveState> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken)
    {
        var projects = new Dictionary<string, CodeBuildProject>(StringComparer.Ordinal);
        foreach (var name in request.ProjectNames.Distinct(StringComparer.Ordinal))
        {
            var result = await codeBuild.BatchGetProjectsAsync([name], cancellationToken);
            if (result.Projects.FirstOrDefault() is { } project)
            {
                projects[name] = project;
            }
        }
        var pipelines = new Dictionary<string, LivePipeline>(StringComparer.Ordinal);
        foreach (var name in request.PipelineNames.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var result = await codePipeline.GetPipelineAsync(name, cancellationToken);
                var tags = result.Metadata?.PipelineArn is { } arn
                    ? await codePipeline.ListTagsForResourceAsync(arn, cancellationToken)
                    : [];
                pipelines[name] = new LivePipeline(result.Pipeline, result.Metadata, tags);
            }
            catch (AwsNotFoundException)
            {
            }
        }
        return new LiveState { Projects = projects, Pipelines = pipelines };
    }

    public void Invalidate(ResourceKind kind, string name)
    {
    }

    public void StartResync()
    {
    }
}
