using System.Collections.Concurrent;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Observation;

/// <summary>
/// Pipelines read as cheaply as correctness allows: a ListPipelines snapshot (name, version, updated) taken once per
/// refresh period, and GetPipeline plus ListTagsForResource only for a pipeline that is new or whose version or
/// update time moved since it was last read.
/// </summary>
/// <remarks>
/// Every read is stamped with a sequence number, and so is the start of each snapshot, so a read made after the
/// snapshot began (our own create, update or delete) wins over the snapshot; an older read loses to it. Tags are
/// not versioned by CodePipeline, so a tag changed out of band is seen when the pipeline itself next changes.
/// </remarks>
public sealed class PipelineCatalog : IDisposable
{
    private readonly ICodePipelineClient _codePipeline;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshPeriod;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly ConcurrentDictionary<string, Entry> _reads = new(StringComparer.Ordinal);
    private long _sequence;
    private Snapshot? _snapshot;

    public PipelineCatalog(ICodePipelineClient codePipeline, TimeProvider time, TimeSpan refreshPeriod)
    {
        _codePipeline = codePipeline;
        _time = time;
        _refreshPeriod = refreshPeriod;
    }

    /// <summary>
    /// The pipeline, or null when it does not exist; <paramref name="fresh"/> always reads it. <paramref name="known"/>,
    /// what the spec's status recorded, stands for a pipeline this process has not read while the snapshot shows it unchanged.
    /// </summary>
    public async Task<LivePipeline?> GetAsync(string name, bool fresh, KnownPipeline? known, CancellationToken cancellationToken)
    {
        if (fresh)
        {
            return await ReadAsync(name, cancellationToken);
        }
        var snapshot = await CurrentSnapshotAsync(cancellationToken);
        _reads.TryGetValue(name, out var read);
        if (read is not null && read.Sequence > snapshot.StartedAt)
        {
            return read.Pipeline;
        }
        if (snapshot.Pipelines.TryGetValue(name, out var summary))
        {
            if (read?.Pipeline is { } cached && cached.Declaration.Version == summary.Version && cached.Metadata?.Updated == summary.Updated)
            {
                return cached;
            }
            // Not kept as a read: it is the declaration, not all the service holds, and the status keeps it anyway.
            return known is not null && known.Matches(summary) ? known.AsSeen : await ReadAsync(name, cancellationToken);
        }
        // Not listed: gone since our last read, or never seen (it may have been made after the snapshot).
        return read is not null ? Forget(name) : await ReadAsync(name, cancellationToken);
    }

    public void Invalidate(string name) => _reads.TryRemove(name, out _);

    /// <summary>The next look-up takes a new ListPipelines snapshot.</summary>
    public void ExpireSnapshot() => _snapshot = null;

    public void Dispose() => _refreshing.Dispose();

    private LivePipeline? Forget(string name)
    {
        _reads.TryRemove(name, out _);
        return null;
    }

    private async Task<LivePipeline?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        LivePipeline? pipeline;
        try
        {
            var result = await _codePipeline.GetPipelineAsync(name, cancellationToken);
            IReadOnlyList<AwsTag> tags = result.Metadata?.PipelineArn is { } arn
                ? await _codePipeline.ListTagsForResourceAsync(arn, cancellationToken)
                : [];
            pipeline = new LivePipeline(result.Pipeline, result.Metadata, tags);
        }
        catch (AwsNotFoundException)
        {
            pipeline = null;
        }
        _reads[name] = new Entry(pipeline, sequence);
        return pipeline;
    }

    private async Task<Snapshot> CurrentSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } current && _time.GetElapsedTime(current.TakenAt) < _refreshPeriod)
        {
            return current;
        }
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } refreshed && _time.GetElapsedTime(refreshed.TakenAt) < _refreshPeriod)
            {
                return refreshed;
            }
            var startedAt = Interlocked.Increment(ref _sequence);
            var takenAt = _time.GetTimestamp();
            var pipelines = new Dictionary<string, PipelineSummary>(StringComparer.Ordinal);
            string? next = null;
            do
            {
                var page = await _codePipeline.ListPipelinesAsync(next, cancellationToken);
                foreach (var summary in page.Items)
                {
                    pipelines[summary.Name] = summary;
                }
                next = page.NextToken;
            }
            while (next is not null);
            return _snapshot = new Snapshot(pipelines, startedAt, takenAt);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private sealed record Entry(LivePipeline? Pipeline, long Sequence);

    private sealed record Snapshot(IReadOnlyDictionary<string, PipelineSummary> Pipelines, long StartedAt, long TakenAt);
}
