using System.Threading.Channels;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>Runs a store watch in the background and lets a test wait for the events it expects.</summary>
internal sealed class WatchCollector : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<WatchEvent<PulumiPipeline>> _events = Channel.CreateUnbounded<WatchEvent<PulumiPipeline>>();
    private readonly Task _pump;

    public WatchCollector(ISpecStore store, string? fromVersion)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in store.WatchAsync(fromVersion, _stop.Token))
                {
                    await _events.Writer.WriteAsync(change);
                }
                _events.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _events.Writer.TryComplete(e is OperationCanceledException ? null : e);
            }
        });
    }

    public List<WatchEvent<PulumiPipeline>> Seen { get; } = [];

    /// <summary>Reads events until one matches; throws the watch's own error if it failed, TimeoutException if nothing matched in time.</summary>
    public async Task<WatchEvent<PulumiPipeline>> WaitForAsync(Func<WatchEvent<PulumiPipeline>, bool> match)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (true)
            {
                var change = await _events.Reader.ReadAsync(timeout.Token);
                Seen.Add(change);
                if (match(change))
                {
                    return change;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no matching watch event within {Timeout}; saw: {string.Join(", ", Seen.Select(e => $"{e.Type} {e.Object.Metadata.Name}@{e.Object.Metadata.ResourceVersion}"))}");
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }
}
