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
    private readonly Lock gate = new();
    private readonly Queue<TKey> queue = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly Dictionary<TKey, long> processing = [];
    private readonly Dictionary<TKey, long> enqueuedAt = [];
    private readonly LinkedList<TaskCompletionSource<(TKey Key, bool ShuttingDown)>> waiters = new();
    private readonly PriorityQueue<TKey, DateTimeOffset> delayed = new();
    private readonly Dictionary<TKey, DateTimeOffset> dueAt = [];
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider time;
    private readonly ExponentialBackoff<TKey> backoff;
    private readonly RuntimeMetrics metrics;
    private readonly TagList tags;
    private readonly IDisposable registration;
    private ITimer? timer;
    private DateTimeOffset? timerDue;
    private bool shuttingDown;

    public WorkQueue(WorkQueueOptions? options = null, TimeProvider? timeProvider = null, RuntimeMetrics? metrics = null)
    {
        options ??= new WorkQueueOptions();
        options.Validate();
        time = timeProvider ?? TimeProvider.System;
        this.metrics = metrics ?? RuntimeMetrics.Default;
        Name = options.Name;
        backoff = new ExponentialBackoff<TKey>(options.BaseDelay, options.MaxDelay, options.JitterFraction, options.Random);
        tags = new TagList { { "name", Name }, { "controller", Name } };
        registration = this.metrics.Register(this);
    }

    /// <summary>The queue's name, as its metrics carry it.</summary>
    public string Name { get; }

    /// <summary>How many keys wait to be handed out (not counting delayed or in-process keys).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>How many keys wait on the delay heap.</summary>
    public int DelayedCount
    {
        get
        {
            lock (gate)
            {
                return dueAt.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (gate)
            {
                return shuttingDown;
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
            lock (gate)
            {
                var now = time.GetTimestamp();
                return processing.Values.Sum(start => time.GetElapsedTime(start, now).TotalSeconds);
            }
        }
    }

    double? IRuntimeProbe.LongestRunningProcessorSeconds
    {
        get
        {
            lock (gate)
            {
                var now = time.GetTimestamp();
                return processing.Count == 0 ? 0 : processing.Values.Max(start => time.GetElapsedTime(start, now).TotalSeconds);
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> as needing processing.</summary>
    public void Add(TKey key)
    {
        lock (gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; a non-positive delay adds now.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }
            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }
            var due = time.GetUtcNow() + delay;
            if (dueAt.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }
            // The heap keeps the superseded entry; it is skipped when popped because dueAt no longer matches.
            dueAt[key] = due;
            delayed.Enqueue(key, due);
            ArmTimerLocked();
        }
    }

    /// <summary>Adds <paramref name="key"/> after its backoff: 1 s, 2 s, 4 s … up to the cap, with jitter; never dropped.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        var delay = backoff.When(key);
        metrics.QueueRetries.Add(1, tags);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears <paramref name="key"/>'s failure history, so its next failure starts the backoff from the base again.</summary>
    public void Forget(TKey key) => backoff.Forget(key);

    /// <summary>How many times <paramref name="key"/> has been requeued by <see cref="AddRateLimited"/> since it was forgotten.</summary>
    public int NumRequeues(TKey key) => backoff.NumRequeues(key);

    /// <summary>Waits for the next key; the caller owns it until <see cref="Done"/>. Returns <c>ShuttingDown</c> once shut down and empty.</summary>
    public Task<(TKey Key, bool ShuttingDown)> GetAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (queue.Count > 0)
            {
                return Task.FromResult((TakeLocked(), false));
            }
            if (shuttingDown)
            {
                return Task.FromResult((default(TKey)!, true));
            }
            cancellationToken.ThrowIfCancellationRequested();
            var waiter = new TaskCompletionSource<(TKey, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = waiters.AddLast(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(() =>
                {
                    lock (gate)
                    {
                        // Under the gate: either a key was handed to this waiter (and it is gone from the list) or it was not.
                        if (node.List is not null)
                        {
                            waiters.Remove(node);
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
        lock (gate)
        {
            if (!processing.Remove(key, out var started))
            {
                return;
            }
            metrics.WorkDuration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
            if (dirty.Contains(key))
            {
                EnqueueLocked(key);
            }
            if (shuttingDown && processing.Count == 0)
            {
                drained.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting adds and drops delayed keys; keys already queued are still handed out.</summary>
    public void ShutDown()
    {
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }
            shuttingDown = true;
            delayed.Clear();
            dueAt.Clear();
            timer?.Dispose();
            timer = null;
            timerDue = null;
            while (waiters.First is { } first)
            {
                waiters.RemoveFirst();
                first.Value.TrySetResult((default!, true));
            }
            if (processing.Count == 0)
            {
                drained.TrySetResult();
            }
        }
    }

    /// <summary>Shuts down, then waits until every key handed out has been <see cref="Done"/> (or the token fires).</summary>
    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        await drained.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The keys being processed right now.</summary>
    public IReadOnlyCollection<TKey> Processing()
    {
        lock (gate)
        {
            return [.. processing.Keys];
        }
    }

    public void Dispose()
    {
        ShutDown();
        registration.Dispose();
    }

    private void AddLocked(TKey key)
    {
        if (shuttingDown || !dirty.Add(key))
        {
            return;
        }
        metrics.QueueAdds.Add(1, tags);
        enqueuedAt[key] = time.GetTimestamp();
        if (!processing.ContainsKey(key))
        {
            EnqueueLocked(key);
        }
    }

    private void EnqueueLocked(TKey key)
    {
        // Hand the key straight to a waiting worker when there is one: the queue stays empty and FIFO holds.
        if (waiters.First is { } first)
        {
            waiters.RemoveFirst();
            queue.Enqueue(key);
            first.Value.TrySetResult((TakeLocked(), false));
            return;
        }
        queue.Enqueue(key);
    }

    private TKey TakeLocked()
    {
        var key = queue.Dequeue();
        if (enqueuedAt.Remove(key, out var added))
        {
            metrics.QueueDuration.Record(time.GetElapsedTime(added).TotalSeconds, tags);
        }
        processing[key] = time.GetTimestamp();
        dirty.Remove(key);
        return key;
    }

    private void OnTimer()
    {
        lock (gate)
        {
            timerDue = null;
            var now = time.GetUtcNow();
            while (delayed.TryPeek(out var key, out var due) && due <= now)
            {
                delayed.Dequeue();
                if (dueAt.TryGetValue(key, out var current) && current == due)
                {
                    dueAt.Remove(key);
                    AddLocked(key);
                }
            }
            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        if (shuttingDown)
        {
            return;
        }
        // Drop superseded heap entries so the timer targets a real due time.
        while (delayed.TryPeek(out var key, out var due) && (!dueAt.TryGetValue(key, out var current) || current != due))
        {
            delayed.Dequeue();
        }
        if (!delayed.TryPeek(out _, out var next))
        {
            return;
        }
        if (timerDue is { } armed && armed <= next)
        {
            return;
        }
        timerDue = next;
        // A fresh one-shot timer rather than Change: re-arming from inside the callback must not be undone by a
        // timer implementation that disables a one-shot timer after its callback returns (FakeTimeProvider does).
        // Whole milliseconds, at least one, so no timer fires synchronously inside this lock.
        var wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((next - time.GetUtcNow()).TotalMilliseconds)));
        timer?.Dispose();
        timer = time.CreateTimer(_ => OnTimer(), null, wait, Timeout.InfiniteTimeSpan);
    }
}
