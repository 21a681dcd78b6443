using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Tests.Runtime;

public sealed class WorkQueueTests
{
    private static readonly RuntimeMetrics Metrics = new();

    private static WorkQueue<int> NewQueue(TimeProvider time, double jitter = 0.1, int seed = 7) =>
        new(new WorkQueueOptions { Name = $"test-{Guid.NewGuid():N}", JitterFraction = jitter, Random = new Random(seed) }, time, Metrics);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ten_thousand_random_operations_match_the_reference_model(int seed)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
        using var queue = NewQueue(time, seed: seed);
        var model = new QueueModel(time);
        var random = new Random(seed);
        const int keys = 12;

        for (var step = 0; step < 10_000; step++)
        {
            var key = random.Next(keys);
            switch (random.Next(8))
            {
                case 0 or 1:
                    queue.Add(key);
                    model.Add(key);
                    break;
                case 2:
                    var delay = TimeSpan.FromMilliseconds(random.Next(-100, 5_000));
                    queue.AddAfter(key, delay);
                    model.AddAfter(key, delay);
                    break;
                case 3:
                    var expected = ExponentialBackoff<int>.Unjittered(model.Failures(key), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
                    var actual = queue.AddRateLimited(key);
                    Assert.InRange(actual, expected * 0.9 - TimeSpan.FromTicks(1), expected);
                    model.AddAfter(key, actual);
                    model.Fail(key);
                    Assert.Equal(model.Failures(key), queue.NumRequeues(key));
                    break;
                case 4 when queue.Count > 0:
                    model.Got(TakeNow(queue));
                    break;
                case 5 when model.Processing.Count > 0:
                    var held = model.Processing.ElementAt(random.Next(model.Processing.Count));
                    queue.Done(held);
                    model.Done(held);
                    break;
                case 6:
                    var advance = TimeSpan.FromMilliseconds(random.Next(0, 3_000));
                    time.Advance(advance);
                    model.Advanced();
                    break;
                case 7:
                    queue.Forget(key);
                    model.Forget(key);
                    Assert.Equal(0, queue.NumRequeues(key));
                    break;
            }
            Assert.Equal(model.Queued.Count, queue.Count);
            Assert.Equal(model.Due.Count, queue.DelayedCount);
            Assert.Equal(model.Processing.OrderBy(k => k), queue.Processing().OrderBy(k => k));
        }

        // Nothing lost: past the longest backoff every delayed key is due; draining hands out every pending key.
        time.Advance(TimeSpan.FromMinutes(6));
        model.Advanced();
        foreach (var held in model.Processing.ToList())
        {
            queue.Done(held);
            model.Done(held);
        }
        while (queue.Count > 0)
        {
            var got = TakeNow(queue);
            model.Got(got);
            queue.Done(got);
            model.Done(got);
        }
        Assert.Empty(model.Pending);
        Assert.Empty(model.Queued);
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public void Backoff_doubles_from_one_second_to_the_five_minute_cap_and_restarts_after_forget()
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time, jitter: 0);
        var delays = Enumerable.Range(0, 12).Select(_ => queue.AddRateLimited(1).TotalSeconds).ToList();
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300], delays);
        Assert.Equal(12, queue.NumRequeues(1));
        queue.Forget(1);
        Assert.Equal(1, queue.AddRateLimited(1).TotalSeconds);
    }

    [Fact]
    public void A_rate_limited_key_is_added_only_when_its_delay_has_passed()
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time, jitter: 0);
        queue.AddRateLimited(5);
        queue.AddRateLimited(5);
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public void Adds_while_queued_collapse_and_an_add_while_processing_requeues_once_after_done()
    {
        using var queue = NewQueue(new FakeTimeProvider());
        queue.Add(1);
        queue.Add(1);
        queue.Add(2);
        Assert.Equal(2, queue.Count);

        var first = TakeNow(queue);
        Assert.Equal(1, first);
        queue.Add(1);
        queue.Add(1);
        Assert.Equal(1, queue.Count);
        var second = TakeNow(queue);
        Assert.Equal(2, second);
        Assert.Equal(0, queue.Count);

        queue.Done(1);
        Assert.Equal(1, queue.Count);
        var again = TakeNow(queue);
        Assert.Equal(1, again);
        queue.Done(1);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void An_earlier_delayed_add_wins_over_a_later_one()
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time);
        queue.AddAfter(3, TimeSpan.FromSeconds(10));
        queue.AddAfter(3, TimeSpan.FromSeconds(2));
        queue.AddAfter(3, TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task A_waiting_worker_receives_the_next_add_and_a_cancelled_wait_takes_nothing()
    {
        using var queue = NewQueue(new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cancel.Token);
        var waiting = queue.GetAsync(CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(waiting.IsCompleted);

        queue.Add(9);
        var (key, shutDown) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(9, key);
        Assert.False(shutDown);
        Assert.Equal([9], queue.Processing());
    }

    [Fact]
    public async Task Shutdown_with_drain_waits_for_keys_in_process_and_ignores_new_adds()
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time);
        queue.Add(1);
        queue.Add(2);
        queue.AddAfter(3, TimeSpan.FromSeconds(1));
        var (held, _) = await queue.GetAsync(CancellationToken.None);
        var drain = queue.ShutDownWithDrainAsync(CancellationToken.None);
        queue.Add(4);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(drain.IsCompleted);

        // Keys queued before the shutdown are still handed out, then the queue reports shutdown.
        var (next, _) = await queue.GetAsync(CancellationToken.None);
        Assert.Equal(2, next);
        var (_, shutDown) = await queue.GetAsync(CancellationToken.None);
        Assert.True(shutDown);

        queue.Done(held);
        Assert.False(drain.IsCompleted);
        queue.Done(next);
        await drain.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_one_key_twice_and_every_add_is_processed_after_it()
    {
        using var queue = new WorkQueue<int>(new WorkQueueOptions { Name = $"concurrent-{Guid.NewGuid():N}" }, TimeProvider.System, Metrics);
        const int keys = 16;
        var inFlight = new int[keys];
        var lastAdd = new long[keys];
        var lastStart = new long[keys];
        long sequence = 0;
        var violations = 0;

        async Task WorkerAsync()
        {
            while (true)
            {
                var (key, shutDown) = await queue.GetAsync(CancellationToken.None);
                if (shutDown)
                {
                    return;
                }
                Interlocked.Exchange(ref lastStart[key], Interlocked.Increment(ref sequence));
                if (Interlocked.Increment(ref inFlight[key]) != 1)
                {
                    Interlocked.Increment(ref violations);
                }
                await Task.Yield();
                Interlocked.Decrement(ref inFlight[key]);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync)).ToArray();
        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            var key = random.Next(keys);
            Interlocked.Exchange(ref lastAdd[key], Interlocked.Increment(ref sequence));
            queue.Add(key);
            if (i % 500 == 0)
            {
                await Task.Yield();
            }
        }
        await WaitUntilAsync(() => queue.Count == 0 && queue.Processing().Count == 0);
        await queue.ShutDownWithDrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, violations);
        for (var key = 0; key < keys; key++)
        {
            Assert.True(lastStart[key] > lastAdd[key], $"key {key} was added after its last processing began and never processed again");
        }
    }

    /// <summary>Takes a queued key, which must be handed out without waiting.</summary>
    private static int TakeNow(WorkQueue<int> queue)
    {
        var task = queue.GetAsync(CancellationToken.None);
        Assert.True(task.IsCompletedSuccessfully, "a queued key must be handed out at once");
        var (key, shutDown) = task.Result;
        Assert.False(shutDown);
        return key;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    /// <summary>client-go's semantics, written as plainly as possible, to check the real queue against.</summary>
    private sealed class QueueModel(FakeTimeProvider time)
    {
        private readonly Dictionary<int, int> _failures = [];

        public List<int> Queued { get; } = [];
        public HashSet<int> Dirty { get; } = [];
        public HashSet<int> Processing { get; } = [];
        public Dictionary<int, DateTimeOffset> Due { get; } = [];
        public HashSet<int> Pending { get; } = [];

        public void Add(int key)
        {
            if (!Dirty.Add(key))
            {
                return;
            }
            Pending.Add(key);
            if (!Processing.Contains(key))
            {
                Queued.Add(key);
            }
        }

        public void AddAfter(int key, TimeSpan delay)
        {
            if (delay <= TimeSpan.Zero)
            {
                Add(key);
                return;
            }
            var due = time.GetUtcNow() + delay;
            if (!Due.TryGetValue(key, out var existing) || due < existing)
            {
                Due[key] = due;
            }
        }

        public void Advanced()
        {
            foreach (var (key, _) in Due.Where(d => d.Value <= time.GetUtcNow()).OrderBy(d => d.Value).ToList())
            {
                Due.Remove(key);
                Add(key);
            }
        }

        public void Got(int key)
        {
            Assert.Contains(key, Queued);
            Assert.DoesNotContain(key, Processing);
            Queued.Remove(key);
            Dirty.Remove(key);
            Pending.Remove(key);
            Processing.Add(key);
        }

        public void Done(int key)
        {
            Processing.Remove(key);
            if (Dirty.Contains(key))
            {
                Queued.Add(key);
            }
        }

        public void Fail(int key) => _failures[key] = Failures(key) + 1;

        public int Failures(int key) => _failures.GetValueOrDefault(key);

        public void Forget(int key) => _failures.Remove(key);
    }
}
