using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;

namespace Reconciler.Controller.Observation;

/// <summary>
/// Coalesces the project look-ups of concurrent reconciles into BatchGetProjects calls of up to 100 names:
/// a batch leaves when it is full, or once no name has come for a window (five windows at most) with no other batch in
/// flight, and a send slot is free.
/// </summary>
public sealed class ProjectBatcher : IAsyncDisposable
{
    /// <summary>BatchGetProjects takes at most this many names.</summary>
    public const int MaxBatchSize = 100;

    /// <summary>A batch still filling leaves after this many windows, however steadily names come.</summary>
    public const int MaxOpenWindows = 5;

    private readonly ICodeBuildClient _codeBuild;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly Channel<Lookup> _lookups = Channel.CreateUnbounded<Lookup>(new UnboundedChannelOptions { SingleReader = false });
    private readonly SemaphoreSlim _inFlight;
    private readonly Lock _writing = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _sending;
    private Mark? _lastAnswer;
    private int _windowChecks;

    public ProjectBatcher(ICodeBuildClient codeBuild, TimeProvider time, TimeSpan window, int maxConcurrentBatches, ILogger logger)
    {
        _codeBuild = codeBuild;
        _time = time;
        _window = window;
        _logger = logger;
        _inFlight = new SemaphoreSlim(Math.Max(1, maxConcurrentBatches));
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Look-ups not yet taken into a batch (tests wait on it before moving a fake clock).</summary>
    internal int Waiting => _lookups.Reader.Count;

    /// <summary>How many times a window's end was weighed (tests wait on it after moving a fake clock).</summary>
    internal int WindowChecks => Volatile.Read(ref _windowChecks);

    /// <summary>The found projects among <paramref name="names"/>; absent names were not found.</summary>
    public async Task<IReadOnlyDictionary<string, CodeBuildProject>> GetAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var pending = new List<(string Name, Task<CodeBuildProject?> Result)>(names.Count);
        // One reconcile's names reach the batch together (up to its size), never split across two calls by a window
        // that closed between two of them.
        lock (_writing)
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var completion = new TaskCompletionSource<CodeBuildProject?>(TaskCreationOptions.RunContinuationsAsynchronously);
                ObjectDisposedException.ThrowIf(!_lookups.Writer.TryWrite(new Lookup(name, completion)), this);
                pending.Add((name, completion.Task));
            }
        }
        var found = new Dictionary<string, CodeBuildProject>(StringComparer.Ordinal);
        foreach (var (name, result) in pending)
        {
            if (await result.WaitAsync(cancellationToken) is { } project)
            {
                found[name] = project;
            }
        }
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        _lookups.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
        _inFlight.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await BatchAsync(stopping);
        }
        finally
        {
            // Nobody waits forever on a batcher that stopped.
            while (_lookups.Reader.TryRead(out var left))
            {
                left.Completion.TrySetException(new ObjectDisposedException(nameof(ProjectBatcher)));
            }
        }
    }

    private async Task BatchAsync(CancellationToken stopping)
    {
        var reader = _lookups.Reader;
        Lookup? carried = null;
        while (carried is not null || await reader.WaitToReadAsync(stopping))
        {
            var batch = new Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>>(StringComparer.Ordinal);
            if (carried is { } first)
            {
                Add(batch, first);
                carried = null;
            }
            carried = Drain(reader, batch);
            try
            {
                if (carried is null && batch.Count < MaxBatchSize)
                {
                    carried = await FillAsync(reader, batch, stopping);
                }
                carried ??= await FillUntilSentAsync(reader, batch, stopping);
            }
            catch (OperationCanceledException)
            {
                Fail(batch, new ObjectDisposedException(nameof(ProjectBatcher)));
                carried?.Completion.TrySetException(new ObjectDisposedException(nameof(ProjectBatcher)));
                throw;
            }
            Interlocked.Increment(ref _sending);
            _ = SendAsync(batch, stopping);
        }
    }

    // Waits for more names until none has come for a window, the batch has been open for MaxOpenWindows windows, or it
    // fills. While reconciles keep arriving (a resync, a start-up) batches leave full; a lone reconcile waits one window.
    // Neither clock runs while another batch is in flight, and both start again when its answer comes: the workers blocked
    // on it bring the next names, so a pause that outlasts the window (a slow answer, a busy machine) does not send a
    // batch part full.
    // Nor do they run while the garbage collector has the process stopped: no reconcile could have sent a name then.
    private async Task<Lookup?> FillAsync(ChannelReader<Lookup> reader, Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>> batch, CancellationToken stopping)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var opened = _time.GetTimestamp();
        var last = opened;
        var pausedAtOpen = GC.GetTotalPauseDuration();
        var pausedAtLast = pausedAtOpen;
        var limit = _window * MaxOpenWindows;
        var closes = Task.Delay(_window, _time, window.Token);
        Task<bool>? more = null;
        try
        {
            while (batch.Count < MaxBatchSize)
            {
                more ??= reader.WaitToReadAsync(stopping).AsTask();
                await Task.WhenAny(more, closes);
                // Names first: on a busy machine this loop may wake late, when a name came and then the window's timer
                // fired; the name is what counts, or the batch would leave part full with names waiting behind it.
                if (!more.IsCompleted)
                {
                    if (Volatile.Read(ref _sending) > 0)
                    {
                        opened = last = _time.GetTimestamp();
                        pausedAtOpen = pausedAtLast = GC.GetTotalPauseDuration();
                        closes = Task.Delay(_window, _time, window.Token);
                        continue;
                    }
                    // An answer counts as a name: its workers get a whole window from it to come back with the next ones.
                    if (Volatile.Read(ref _lastAnswer) is { } answer && answer.Timestamp > last)
                    {
                        opened = last = answer.Timestamp;
                        pausedAtOpen = pausedAtLast = answer.Paused;
                    }
                    // One timer a window rather than one a name: on waking, wait out what is left of the quiet period.
                    var paused = GC.GetTotalPauseDuration();
                    var quiet = _time.GetElapsedTime(last) - (paused - pausedAtLast);
                    var open = _time.GetElapsedTime(opened) - (paused - pausedAtOpen);
                    if (quiet >= _window || open >= limit)
                    {
                        Interlocked.Increment(ref _windowChecks);
                        return null;
                    }
                    closes = Task.Delay(Min(_window - quiet, limit - open), _time, window.Token);
                    Interlocked.Increment(ref _windowChecks);
                    continue;
                }
                if (!await more)
                {
                    return null;
                }
                more = null;
                last = _time.GetTimestamp();
                pausedAtLast = GC.GetTotalPauseDuration();
                if (Drain(reader, batch) is { } carried)
                {
                    return carried;
                }
            }
            return null;
        }
        finally
        {
            await window.CancelAsync();
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // Waits for a send slot; while every slot is busy the batch keeps filling, so a busy start-up (every reconcile
    // validating, rendering and reading at once) sends full batches rather than one per window.
    private async Task<Lookup?> FillUntilSentAsync(ChannelReader<Lookup> reader, Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>> batch, CancellationToken stopping)
    {
        var slot = _inFlight.WaitAsync(stopping);
        Lookup? carried = null;
        while (!slot.IsCompleted && carried is null && batch.Count < MaxBatchSize)
        {
            var more = reader.WaitToReadAsync(stopping).AsTask();
            if (await Task.WhenAny(more, slot) == slot || !await more)
            {
                break;
            }
            carried = Drain(reader, batch);
        }
        await slot;
        return carried;
    }

    // Takes lookups until the batch holds 100 distinct names; returns the first lookup that did not fit.
    private Lookup? Drain(ChannelReader<Lookup> reader, Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>> batch)
    {
        lock (_writing)
        {
            while (reader.TryRead(out var lookup))
            {
                if (batch.Count >= MaxBatchSize && !batch.ContainsKey(lookup.Name))
                {
                    return lookup;
                }
                Add(batch, lookup);
            }
            return null;
        }
    }

    private static void Add(Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>> batch, Lookup lookup)
    {
        if (!batch.TryGetValue(lookup.Name, out var waiters))
        {
            batch[lookup.Name] = waiters = [];
        }
        waiters.Add(lookup.Completion);
    }

    private async Task SendAsync(Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>> batch, CancellationToken stopping)
    {
        BatchGetProjectsResult? result = null;
        Exception? error = null;
        try
        {
            result = await _codeBuild.BatchGetProjectsAsync([.. batch.Keys], stopping);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        // Marked answered before any waiter hears: a worker the answer frees finds the window already restarted.
        Volatile.Write(ref _lastAnswer, new Mark(_time.GetTimestamp(), GC.GetTotalPauseDuration()));
        Interlocked.Decrement(ref _sending);
        try
        {
            if (result is null)
            {
                _logger.LogWarning(error, "BatchGetProjects of {Count} names failed", batch.Count);
                Fail(batch, error!);
                return;
            }
            var byName = result.Projects.ToDictionary(p => p.Name, StringComparer.Ordinal);
            foreach (var (name, waiters) in batch)
            {
                var project = byName.GetValueOrDefault(name);
                waiters.ForEach(w => w.TrySetResult(project));
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private static void Fail(Dictionary<string, List<TaskCompletionSource<CodeBuildProject?>>> batch, Exception error)
    {
        foreach (var waiters in batch.Values)
        {
            waiters.ForEach(w => w.TrySetException(error));
        }
    }

    private sealed record Mark(long Timestamp, TimeSpan Paused);

    private sealed record Lookup(string Name, TaskCompletionSource<CodeBuildProject?> Completion);
}
