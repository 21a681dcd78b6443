using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Runs N workers that take keys from a <see cref="WorkQueue{TKey}"/> and reconcile (or finalize) the cached object.</summary>
/// <remarks>
/// <para>Success forgets the key's backoff (and requeues after <see cref="ReconcileResult.RequeueAfter"/> if asked); an
/// exception requeues with backoff; a <see cref="TerminalReconcileException"/> parks the key until its generation or
/// reconcile-request annotation changes. Each reconcile runs under a timeout, and under the tenure of its shard: losing
/// the shard cancels it and it is not retried here.</para>
/// <para>The finalizer is attached before the first reconcile; once the object is being deleted, FinalizeAsync runs and
/// the finalizer is removed when it succeeds without asking to requeue.</para>
/// </remarks>
public sealed class Controller<T> : IInformerHandler<T>, IShardListener, IDisposable where T : IObject
{
    private readonly IReconciler<T> _reconciler;
    private readonly Informer<T> _informer;
    private readonly IObjectSource<T> _source;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RuntimeMetrics _metrics;
    private readonly IShardOwnership _shards;
    private readonly TagList _tags;
    private readonly ConcurrentDictionary<string, (string? Uid, long Generation, string? Request)> _parked = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private Task _workers = Task.CompletedTask;

    public Controller(
        IReconciler<T> reconciler,
        Informer<T> informer,
        IObjectSource<T> source,
        ControllerOptions options,
        TimeProvider? timeProvider = null,
        ILogger<Controller<T>>? logger = null,
        RuntimeMetrics? metrics = null,
        IShardOwnership? shards = null)
    {
        options.Validate();
        _reconciler = reconciler;
        _informer = informer;
        _source = source;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<Controller<T>>.Instance;
        _metrics = metrics ?? RuntimeMetrics.Default;
        _shards = shards ?? AllShards.Instance;
        _tags = new TagList { { "controller", options.Name } };
        Queue = new WorkQueue<string>(options.Queue with { Name = options.Name }, _time, _metrics);
        _metrics.Initialize(options.Name);
        informer.AddHandler(this);
        _shards.Subscribe(this);
    }

    /// <summary>The controller's queue (exposed for health, tests and benchmarks).</summary>
    public WorkQueue<string> Queue { get; }

    public string Name => _options.Name;

    /// <summary>Starts the workers; they run until <see cref="StopAsync"/>.</summary>
    public void Start()
    {
        _workers = Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(WorkerAsync)));
    }

    /// <summary>Stops taking work, lets in-flight reconciles finish within the shutdown timeout (or until the token fires), then cancels them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Synchronously up to the grace timer, so the grace period starts when StopAsync is called.
        _stopping.Cancel();
        Queue.ShutDown();
        using var grace = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken);
        try
        {
            await _workers.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("{Controller}: in-flight reconciles did not finish in time; cancelling {Keys}", Name, string.Join(", ", Queue.Processing()));
            await _abort.CancelAsync();
            await _workers;
        }
    }

    /// <summary>Enqueues <paramref name="name"/> if this replica owns its shard.</summary>
    public void Enqueue(string name)
    {
        if (_shards.TryGetTenure(ShardOf(name), out _))
        {
            Queue.Add(name);
        }
    }

    /// <summary>Enqueues <paramref name="name"/> after <paramref name="delay"/> if this replica owns its shard (a fan-out spread by a rate limiter).</summary>
    public void EnqueueAfter(string name, TimeSpan delay)
    {
        if (_shards.TryGetTenure(ShardOf(name), out _))
        {
            Queue.AddAfter(name, delay);
        }
    }

    void IInformerHandler<T>.OnAdd(T added) => Enqueue(added.Metadata.Name);

    void IInformerHandler<T>.OnUpdate(T previous, T current)
    {
        if (ReconcilePredicate.ShouldEnqueue(previous.Metadata, current.Metadata))
        {
            Enqueue(current.Metadata.Name);
        }
    }

    void IInformerHandler<T>.OnDelete(T deleted) => Enqueue(deleted.Metadata.Name);

    void IInformerHandler<T>.OnResync(T cached) => Enqueue(cached.Metadata.Name);

    void IShardListener.ShardAcquired(int shard)
    {
        foreach (var name in _informer.Keys())
        {
            if (ShardOf(name) == shard)
            {
                Enqueue(name);
            }
        }
    }

    void IShardListener.ShardLost(int shard)
    {
        // In-flight work stops through the tenure token; queued keys are dropped when a worker takes them.
        _logger.LogInformation("{Controller}: shard {Shard} lost; its work stops", Name, shard);
    }

    public void Dispose()
    {
        Queue.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    private int ShardOf(string name) => _shards.ShardCount == 1 ? 0 : ShardHasher.ShardOf(name, _shards.ShardCount);

    private async Task WorkerAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            string key;
            try
            {
                (key, var shutDown) = await Queue.GetAsync(_stopping.Token);
                if (shutDown || _stopping.IsCancellationRequested)
                {
                    // Stopping: keys still queued are left for the next start (or the next owner) to pick up.
                    if (!shutDown)
                    {
                        Queue.Done(key);
                    }
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await ProcessAsync(key);
            }
            catch (Exception ex)
            {
                // ProcessAsync handles reconciler failures; reaching here is a bug in the runtime itself.
                _logger.LogError(ex, "{Controller}: worker failed on {Key}", Name, key);
                Queue.AddRateLimited(key);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(string key)
    {
        if (!_shards.TryGetTenure(ShardOf(key), out var tenure))
        {
            Queue.Forget(key);
            return;
        }
        T? item;
        try
        {
            // The cached copy, or the store's while the cache has not caught up with our own last write.
            item = await _informer.GetLatestAsync(key, tenure);
        }
        catch (OperationCanceledException) when (tenure.IsCancellationRequested)
        {
            Queue.Forget(key);
            return;
        }
        catch (Exception ex)
        {
            var delay = Queue.AddRateLimited(key);
            _metrics.ReconcileErrors.Add(1, _tags);
            _logger.LogWarning("{Controller}: reading {Key} failed; retrying in {Delay}: {Error}", Name, key, delay, ExpectedFailure.OneLine(ex));
            return;
        }
        if (item is null)
        {
            // Gone from the store: nothing to reconcile, nothing to remember.
            Queue.Forget(key);
            _parked.TryRemove(key, out _);
            return;
        }
        var meta = item.Metadata;
        // The uid too: a document deleted and created again is a new object, never parked by the old one's failure.
        var fingerprint = (meta.Uid, meta.Generation, ReconcilePredicate.Annotations(meta));
        if (_parked.TryGetValue(key, out var failedAt))
        {
            if (failedAt == fingerprint && meta.DeletionTimestamp is null)
            {
                return;
            }
            _parked.TryRemove(key, out _);
        }

        var finalizing = meta.DeletionTimestamp is not null;
        if (finalizing && !HasFinalizer(meta))
        {
            // Being deleted, and our cleanup already ran (or never started): the store removes it when others let go.
            Queue.Forget(key);
            return;
        }

        using var activity = RuntimeTracing.StartReconcile(_source.Kind, Name, meta, finalizing);
        using var timeout = new CancellationTokenSource(_options.ReconcileTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, tenure, _abort.Token);
        var started = _time.GetTimestamp();
        _metrics.ActiveWorkers.Add(1, _tags);
        string result;
        try
        {
            var outcome = finalizing
                ? await FinalizeAsync(item, linked.Token)
                : await ReconcileAsync(item, linked.Token);
            Queue.Forget(key);
            if (outcome.RequeueAfter is { } after && after > TimeSpan.Zero)
            {
                Queue.AddAfter(key, after);
                result = "requeue_after";
            }
            else
            {
                result = "success";
            }
            RuntimeTracing.SetResult(activity, result, outcome.RequeueAfter);
        }
        catch (OperationCanceledException) when (tenure.IsCancellationRequested || _abort.IsCancellationRequested)
        {
            // The shard moved to another replica, or we are shutting down: the new owner (or next start) picks it up.
            Queue.Forget(key);
            RuntimeTracing.SetResult(activity, "canceled", null);
            _logger.LogInformation("{Controller}: reconcile of {Key} cancelled (shard lost or shutting down)", Name, key);
            return;
        }
        catch (TerminalReconcileException ex)
        {
            result = "error";
            _parked[key] = fingerprint;
            Queue.Forget(key);
            _metrics.ReconcileErrors.Add(1, _tags);
            _metrics.TerminalReconcileErrors.Add(1, _tags);
            RuntimeTracing.SetResult(activity, "terminal", null, ex);
            _logger.LogWarning("{Controller}: {Key} generation {Generation} failed terminally ({Reason}): {Message}; no retry until it changes",
                Name, key, meta.Generation, ex.Reason, ex.Message);
        }
        catch (Exception ex)
        {
            result = "error";
            var delay = Queue.AddRateLimited(key);
            _metrics.ReconcileErrors.Add(1, _tags);
            if (IsPanic(ex))
            {
                _metrics.ReconcilePanics.Add(1, _tags);
            }
            RuntimeTracing.SetResult(activity, result, delay, ex);
            var reason = timeout.IsCancellationRequested ? "timed out" : "failed";
            if (ExpectedFailure.Is(ex))
            {
                _logger.LogWarning("{Controller}: {Key} {Reason} (attempt {Attempt}); retrying in {Delay}: {Error}", Name, key, reason, Queue.NumRequeues(key), delay, ExpectedFailure.OneLine(ex));
            }
            else
            {
                _logger.LogWarning(ex, "{Controller}: {Key} {Reason} (attempt {Attempt}); retrying in {Delay}", Name, key, reason, Queue.NumRequeues(key), delay);
            }
        }
        finally
        {
            _metrics.ActiveWorkers.Add(-1, _tags);
            _metrics.ReconcileTime.Record(_time.GetElapsedTime(started).TotalSeconds, _tags);
        }
        var resultTags = _tags;
        resultTags.Add("result", result);
        _metrics.ReconcileTotal.Add(1, resultTags);
    }

    private async Task<ReconcileResult> ReconcileAsync(T item, CancellationToken cancellationToken)
    {
        var meta = item.Metadata;
        if (!HasFinalizer(meta))
        {
            // Attached first, so a delete that races the first reconcile still waits for our cleanup.
            var updated = await UpdateFinalizersAsync(item, attach: true, cancellationToken);
            if (updated is null)
            {
                return ReconcileResult.Done;
            }
            item = updated;
        }
        return await _reconciler.ReconcileAsync(item, cancellationToken);
    }

    private async Task<ReconcileResult> FinalizeAsync(T item, CancellationToken cancellationToken)
    {
        var outcome = await _reconciler.FinalizeAsync(item, cancellationToken);
        if (outcome.RequeueAfter is { } after && after > TimeSpan.Zero)
        {
            // Cleanup still in progress (a destroy running): keep the finalizer and come back.
            return outcome;
        }
        await UpdateFinalizersAsync(item, attach: false, cancellationToken);
        return ReconcileResult.Done;
    }

    /// <summary>Adds or removes our finalizer, and tells the informer of the write; on a conflict reads the latest object once and tries again.</summary>
    /// <remarks>
    /// Our own earlier writes never cause the conflict (the object came through <see cref="Informer{T}.GetLatestAsync"/>);
    /// another writer's change (an apply, a delete) that raced this one does, and one fresh read resolves it without a backoff.
    /// </remarks>
    private async Task<T?> UpdateFinalizersAsync(T item, bool attach, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var meta = item.Metadata;
            if (HasFinalizer(meta) == attach)
            {
                return item;
            }
            var finalizers = attach
                ? (meta.Finalizers ?? []).Append(_options.Finalizer).ToList()
                : (meta.Finalizers ?? []).Where(f => !string.Equals(f, _options.Finalizer, StringComparison.Ordinal)).ToList();
            try
            {
                var updated = await _source.UpdateFinalizersAsync(meta.Name, meta.ResourceVersion ?? "", meta.Uid, finalizers, cancellationToken);
                if (updated is not null)
                {
                    _informer.RecordWrite(updated);
                }
                return updated;
            }
            catch (StoreConflictException) when (attempt == 0)
            {
                var fresh = await _source.GetAsync(meta.Name, cancellationToken);
                if (fresh is null || !string.Equals(fresh.Metadata.Uid, meta.Uid, StringComparison.Ordinal))
                {
                    // Gone, or deleted and created again: the new object is another one, and its own events bring it here.
                    return default;
                }
                item = fresh;
            }
        }
    }

    private bool HasFinalizer(ObjectMeta meta) => meta.Finalizers?.Contains(_options.Finalizer, StringComparer.Ordinal) == true;

    /// <summary>The .NET analogue of a Go runtime panic: an exception that signals a bug rather than a failed call.</summary>
    internal static bool IsPanic(Exception ex) => ex is NullReferenceException or InvalidCastException or IndexOutOfRangeException
        or ArgumentException or KeyNotFoundException or NotImplementedException or DivideByZeroException;
}
