using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>Spans an exporter or a listener adds from other threads (other tests' spans on the shared sources too), read as a copy and waited for by condition.</summary>
internal sealed class RecordedSpans : Collection<Activity>
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    /// <summary>The first span that matches, waiting for the next added span (not for a time) while none does.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (true)
        {
            List<Activity> seen;
            Task added;
            lock (_gate)
            {
                seen = [.. Items];
                added = _next.Task;
            }
            if (seen.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            try
            {
                await added.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"no matching span within {patience} among {seen.Count} recorded");
            }
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        TaskCompletionSource added;
        lock (_gate)
        {
            base.InsertItem(index, item);
            added = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.SetResult();
    }
}
