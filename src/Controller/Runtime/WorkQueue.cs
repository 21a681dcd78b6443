using System.Diagnostics;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Runtime;

/// <summary>A rate-limited, delaying work queue with client-go semantics: a key is never handed to two workers at once.</summary>
/// <remarks>
/// <para><b>dirty</b> holds keys that need processing, <b>processing</b> the keys a worker holds. An add of a key that
/// is already dirty collapses into the pending one; an add of a key being processed marks it dirty only, and
/// <see cref="Done"/> puts it back on the queue, so it is processed once more, after the current pass, by one worker.</para>
/// <para>Delayed adds wait on a heap ordered by due time, driven by one <see cref="TimeProvider"/> timer; a key waiting
/// twice keeps the earlier time. After <see cref="ShutDown"/>, adds are ignored and delayed keys dropped, while
/// <see cref="GetAsync"/> still hands out what is queued until the queue is empty (as client-go does).</para>
/// </remarks>
public sealed class WorkQueue<TKey> : IRuntimeProbe, IDisposable where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly Dictionary<TKey, long> _processing = [];
    private readonly Dictionary<TKey, long> _enqueuedAt = [];
    private readonly LinkedList<TaskCompletionSource<(TKey Key, bool ShuttingDown)>> _waiters = new();
    private readonly PriorityQueue<TKey, DateTimeOffset> _delayed = new();
    private readonly Dictionary<TKey, DateTimeOffset> _dueAt = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff<TKey> _backoff;
    private readonly RuntimeMetrics _metrics;
    private readonly TagList _tags;
    private readonly IDisposable _registration;
    private ITimer? _timer;
    private DateTimeOffset? _timerDue;
    private bool _shuttingDown;

    public WorkQueue(WorkQueueOptions? options = null, TimeProvider? timeProvider = null, RuntimeMetrics? metrics = null)
    {
        options ??= new WorkQueueOptions();
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _metrics = metrics ?? RuntimeMetrics.Default;
        Name = options.Name;
        _backoff = new ExponentialBackoff<TKey>(options.BaseDelay, options.MaxDelay, options.JitterFraction, options.Random);
        _tags = new TagList { { "name", Name }, { "controller", Name } };
        _registration = _metrics.Register(this);
    }

    /// <summary>The queue's name, as its metrics carry it.</summary>
    public string Name { get; }

    /// <summary>How many keys wait to be handed out (not counting delayed or in-process keys).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>How many keys wait on the delay heap.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_gate)
            {
                return _dueAt.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    string IRuntimeProbe.TagName => "name";

    string IRuntimeProbe.TagValue => Name;

    double? IRuntimeProbe.Depth => Count;

    double? IRuntimeProbe.UnfinishedWorkSeconds
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                return _processing.Values.Sum(start => _time.GetElapsedTime(start, now).TotalSeconds);
            }
        }
    }

    double? IRuntimeProbe.LongestRunningProcessorSeconds
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                return _processing.Count == 0 ? 0 : _processing.Values.Max(start => _time.GetElapsedTime(start, now).TotalSeconds);
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> as needing processing.</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; a non-positive delay adds now.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }
            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }
            var due = _time.GetUtcNow() + delay;
            if (_dueAt.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }
            // The heap keeps the superseded entry; it is skipped when popped because dueAt no longer matches.
            _dueAt[key] = due;
            _delayed.Enqueue(key, due);
            ArmTimerLocked();
        }
    }

    /// <summary>Adds <paramref name="key"/> after its backoff: 1 s, 2 s, 4 s … up to the cap, with jitter; never dropped.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        var delay = _backoff.When(key);
        _metrics.QueueRetries.Add(1, _tags);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears <paramref name="key"/>'s failure history, so its next failure starts the backoff from the base again.</summary>
    public void Forget(TKey key) => _backoff.Forget(key);

    /// <summary>How many times <paramref name="key"/> has been requeued by <see cref="AddRateLimited"/> since it was forgotten.</summary>
    public int NumRequeues(TKey key) => _backoff.NumRequeues(key);

    /// <summary>Waits for the next key; the caller owns it until <see cref="Done"/>. Returns <c>ShuttingDown</c> once shut down and empty.</summary>
    public Task<(TKey Key, bool ShuttingDown)> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return Task.FromResult((TakeLocked(), false));
            }
            if (_shuttingDown)
            {
                return Task.FromResult((default(TKey)!, true));
            }
            cancellationToken.ThrowIfCancellationRequested();
            var waiter = new TaskCompletionSource<(TKey, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = _waiters.AddLast(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() =>
                {
                    lock (_gate)
                    {
                        // Under the gate: either a key was handed to this waiter (and it is gone from the list) or it was not.
                        if (node.List is not null)
                        {
                            _waiters.Remove(node);
                            waiter.TrySetCanceled(cancellationToken);
                        }
                    }
                });
                _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return waiter.Task;
        }
    }

    /// <summary>Releases <paramref name="key"/>; if it was added while being processed, it goes back on the queue now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            if (!_processing.Remove(key, out var started))
            {
                return;
            }
            _metrics.WorkDuration.Record(_time.GetElapsedTime(started).TotalSeconds, _tags);
            if (_dirty.Contains(key))
            {
                EnqueueLocked(key);
            }
            if (_shuttingDown && _processing.Count == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting adds and drops delayed keys; keys already queued are still handed out.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }
            _shuttingDown = true;
            _delayed.Clear();
            _dueAt.Clear();
            _timer?.Dispose();
            _timer = null;
            _timerDue = null;
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.TrySetResult((default!, true));
            }
            if (_processing.Count == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Shuts down, then waits until every key handed out has been <see cref="Done"/> (or the token fires).</summary>
    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        await _drained.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The keys being processed right now.</summary>
    public IReadOnlyCollection<TKey> Processing()
    {
        lock (_gate)
        {
            return [.. _processing.Keys];
        }
    }

    public void Dispose()
    {
        ShutDown();
        _registration.Dispose();
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }
        _metrics.QueueAdds.Add(1, _tags);
        _enqueuedAt[key] = _time.GetTimestamp();
        if (!_processing.ContainsKey(key))
        {
            EnqueueLocked(key);
        }
    }

    private void EnqueueLocked(TKey key)
    {
        // Hand the key straight to a waiting worker when there is one: the queue stays empty and FIFO holds.
        if (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _queue.Enqueue(key);
            first.Value.TrySetResult((TakeLocked(), false));
            return;
        }
        _queue.Enqueue(key);
    }

    private TKey TakeLocked()
    {
        var key = _queue.Dequeue();
        if (_enqueuedAt.Remove(key, out var added))
        {
            _metrics.QueueDuration.Record(_time.GetElapsedTime(added).TotalSeconds, _tags);
        }
        _processing[key] = _time.GetTimestamp();
        _dirty.Remove(key);
        return key;
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = null;
            var now = _time.GetUtcNow();
            while (_delayed.TryPeek(out var key, out var due) && due <= now)
            {
                _delayed.Dequeue();
                if (_dueAt.TryGetValue(key, out var current) && current == due)
                {
                    _dueAt.Remove(key);
                    AddLocked(key);
                }
            }
            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        if (_shuttingDown)
        {
            return;
        }
        // Drop superseded heap entries so the timer targets a real due time.
        while (_delayed.TryPeek(out var key, out var due) && (!_dueAt.TryGetValue(key, out var current) || current != due))
        {
            _delayed.Dequeue();
        }
        if (!_delayed.TryPeek(out _, out var next))
        {
            return;
        }
        if (_timerDue is { } armed && armed <= next)
        {
            return;
        }
        _timerDue = next;
        // A fresh one-shot timer rather than Change: re-arming from inside the callback must not be undone by a
        // timer implementation that disables a one-shot timer after its callback returns (FakeTimeProvider does).
        // Whole milliseconds, at least one, so no timer fires synchronously inside this lock.
        var wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((next - _time.GetUtcNow()).TotalMilliseconds)));
        _timer?.Dispose();
        _timer = _time.CreateTimer(_ => OnTimer(), null, wait, Timeout.InfiniteTimeSpan);
    }
}
