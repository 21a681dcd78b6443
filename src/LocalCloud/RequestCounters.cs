using System.Collections.Concurrent;

namespace Reconciler.LocalCloud;

/// <summary>Request counts per operation (<c>CodeBuild.BatchGetProjects</c>), with injected faults counted apart; thread-safe.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>The counts of one operation, <c>Service.Operation</c>; zero when it was never called.</summary>
    public OperationCounts this[string operation] =>
        _counters.TryGetValue(operation, out var counter) ? counter.Read() : OperationCounts.Zero;

    /// <summary>All operations called since the last reset, by name.</summary>
    public IReadOnlyDictionary<string, OperationCounts> Snapshot() =>
        new SortedDictionary<string, OperationCounts>(_counters.ToDictionary(p => p.Key, p => p.Value.Read()), StringComparer.Ordinal);

    /// <summary>Requests of all operations together.</summary>
    public long TotalRequests => _counters.Values.Sum(c => c.Read().Requests);

    public void Reset() => _counters.Clear();

    internal void Record(string operation, RequestOutcome outcome)
    {
        var counter = _counters.GetOrAdd(operation, _ => new Counter());
        counter.Add(outcome);
    }

    private sealed class Counter
    {
        private long _requests;
        private long _succeeded;
        private long _failed;
        private long _throttled;
        private long _serverErrors;

        public void Add(RequestOutcome outcome)
        {
            switch (outcome)
            {
                case RequestOutcome.Succeeded: Interlocked.Increment(ref _succeeded); break;
                case RequestOutcome.Failed: Interlocked.Increment(ref _failed); break;
                case RequestOutcome.Throttled: Interlocked.Increment(ref _throttled); break;
                case RequestOutcome.ServerError: Interlocked.Increment(ref _serverErrors); break;
            }
            Interlocked.Increment(ref _requests);
        }

        public OperationCounts Read() => new(
            Interlocked.Read(ref _requests), Interlocked.Read(ref _succeeded), Interlocked.Read(ref _failed),
            Interlocked.Read(ref _throttled), Interlocked.Read(ref _serverErrors));
    }
}

/// <summary>How one request ended, for the counters.</summary>
internal enum RequestOutcome
{
    Succeeded,
    Failed,
    Throttled,
    ServerError,
}
