using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Observation;

/// <summary>
/// The live-state reader that scales: project look-ups of concurrent reconciles share BatchGetProjects calls;
/// pipelines come from a periodic ListPipelines snapshot and are read whole only when new or changed.
/// </summary>
public sealed class LiveStateReader : ILiveStateReader, IAsyncDisposable
{
    private readonly ICodeBuildClient _codeBuild;
    private readonly ProjectBatcher _batcher;
    private readonly PipelineCatalog _pipelines;

    public LiveStateReader(ICodeBuildClient codeBuild, ICodePipelineClient codePipeline, TimeProvider time, LiveStateReaderOptions options, ILogger<LiveStateReader> logger)
    {
        _codeBuild = codeBuild;
        _batcher = new ProjectBatcher(codeBuild, time, options.BatchWindow, options.MaxConcurrentBatches, logger);
        _pipelines = new PipelineCatalog(codePipeline, time, options.PipelineSnapshotPeriod);
    }

    public async Task<LiveState> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken)
    {
        var projects = request.Fresh
            ? await ReadProjectsNowAsync(request.ProjectNames, cancellationToken)
            : await _batcher.GetAsync(request.ProjectNames, cancellationToken);
        var pipelines = new Dictionary<string, LivePipeline>(StringComparer.Ordinal);
        foreach (var name in request.PipelineNames)
        {
            if (await _pipelines.GetAsync(name, request.Fresh, request.Known?.AsSeen.Declaration.Name == name ? request.Known : null, cancellationToken) is { } pipeline)
            {
                pipelines[name] = pipeline;
            }
        }
        return new LiveState { Projects = projects, Pipelines = pipelines };
    }

    public void Invalidate(ResourceKind kind, string name)
    {
        // Projects are never cached; only pipeline reads are.
        if (kind == ResourceKind.CodePipeline)
        {
            _pipelines.Invalidate(name);
        }
    }

    public void StartResync() => _pipelines.ExpireSnapshot();

    /// <summary>Project look-ups not yet taken into a batch.</summary>
    internal int WaitingLookups => _batcher.Waiting;

    /// <summary>How many times the batcher weighed a window's end.</summary>
    internal int BatchWindowChecks => _batcher.WindowChecks;

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync();
        _pipelines.Dispose();
    }

    // A confirmation must not wait for a batch window, and it is rare.
    private async Task<IReadOnlyDictionary<string, CodeBuildProject>> ReadProjectsNowAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, CodeBuildProject>(StringComparer.Ordinal);
        foreach (var chunk in names.Distinct(StringComparer.Ordinal).Chunk(ProjectBatcher.MaxBatchSize))
        {
            var result = await _codeBuild.BatchGetProjectsAsync(chunk, cancellationToken);
            foreach (var project in result.Projects)
            {
                found[project.Name] = project;
            }
        }
        return found;
    }
}
