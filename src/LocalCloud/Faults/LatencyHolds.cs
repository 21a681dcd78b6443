namespace Reconciler.LocalCloud.Faults;

/// <summary>
/// The requests an injected latency is holding right now, by operation (<c>CodeBuild.CreateWebhook</c>), so a test that
/// drives LocalCloud's clock moves it only once the requests it means to hold have arrived.
/// </summary>
public sealed class LatencyHolds
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _total = new(StringComparer.Ordinal);
    private readonly List<(string Operation, int Count, TaskCompletionSource Reached)> _waiters = [];

    /// <summary>How many requests to <paramref name="operation"/> are held now.</summary>
    public int Held(string operation)
    {
        lock (_lock)
        {
            return _held.GetValueOrDefault(operation);
        }
    }

    /// <summary>Completes once <paramref name="count"/> requests to <paramref name="operation"/> have been held (since start).</summary>
    public Task WhenHeldAsync(string operation, int count)
    {
        lock (_lock)
        {
            if (_total.GetValueOrDefault(operation) >= count)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((operation, count, reached));
            return reached.Task;
        }
    }

    /// <summary>Marks one request to <paramref name="operation"/> as held until the returned handle is disposed.</summary>
    public IDisposable Enter(string operation)
    {
        List<TaskCompletionSource> reached = [];
        lock (_lock)
        {
            _held[operation] = _held.GetValueOrDefault(operation) + 1;
            var total = _total[operation] = _total.GetValueOrDefault(operation) + 1;
            foreach (var waiter in _waiters.Where(w => w.Operation == operation && w.Count <= total).ToList())
            {
                _waiters.Remove(waiter);
                reached.Add(waiter.Reached);
            }
        }
        reached.ForEach(r => r.TrySetResult());
        return new Release(this, operation);
    }

    private void Leave(string operation)
    {
        lock (_lock)
        {
            _held[operation]--;
        }
    }

    private sealed class Release(LatencyHolds holds, string operation) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                holds.Leave(operation);
            }
        }
    }
}
