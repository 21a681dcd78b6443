using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Store;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Keeps a cache of the latest objects of one kind (list, then watch, then periodic resync) and tells handlers what changed.</summary>
/// <remarks>
/// A relist (first start, or after <see cref="WatchExpiredException"/>) diffs the new list against the cache, so
/// objects deleted while the watch was down are reported as deletions. Handlers are called from the watch loop,
/// one event at a time, in the order the source reported them.
/// <para>Read your writes: the cache lags the store by the watch's latency, and the newer copy is most often this
/// process's own write (a status, a finalizer). Writers report what they stored through <see cref="RecordWrite"/>;
/// <see cref="GetLatestAsync"/> then reads past the cache until the watch delivers that version (or a later one).
/// This is the one place that lag is compensated.</para>
/// </remarks>
public sealed class Informer<T> : IDisposable where T : IObject
{
    private readonly IObjectSource<T> _source;
    private readonly InformerOptions<T> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    // name -> the resourceVersion our last write of it produced, while the cache has not caught up with it.
    private readonly ConcurrentDictionary<string, string> _ownWrites = new(StringComparer.Ordinal);
    private readonly List<IInformerHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _deliver = new();
    private ITimer? _resyncTimer;

    public Informer(IObjectSource<T> source, InformerOptions<T>? options = null, TimeProvider? timeProvider = null, ILogger<Informer<T>>? logger = null)
    {
        _source = source;
        _options = options ?? new InformerOptions<T>();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<Informer<T>>.Instance;
        _random = _options.Random ?? new Random();
    }

    /// <summary>The kind of object this informer watches.</summary>
    public string Kind => _source.Kind;

    /// <summary>True once the first full list is in the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>How many relists happened (the first list included); a watch that fell behind adds one.</summary>
    public int ListCount { get; private set; }

    /// <summary>Registers a handler; register before <see cref="RunAsync"/> so no event is missed.</summary>
    public void AddHandler(IInformerHandler<T> handler)
    {
        lock (_deliver)
        {
            _handlers.Add(handler);
        }
    }

    /// <summary>A copy of the cached object named <paramref name="name"/>.</summary>
    public bool TryGet(string name, out T value)
    {
        if (_cache.TryGetValue(name, out var cached))
        {
            value = _options.Copy is { } copy ? copy(cached) : cached;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// The object to act on: the cached copy, unless this process wrote <paramref name="name"/> since (see
    /// <see cref="RecordWrite"/>) and the watch has not delivered that write yet, in which case the source's current
    /// copy. Null when the cache does not hold it.
    /// </summary>
    public async Task<T?> GetLatestAsync(string name, CancellationToken cancellationToken)
    {
        if (!TryGet(name, out var cached))
        {
            return default;
        }
        if (!_ownWrites.TryGetValue(name, out var written))
        {
            return cached;
        }
        if (string.Equals(written, cached.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            // Delivered: the cache never goes back to anything older.
            _ownWrites.TryRemove(KeyValuePair.Create(name, written));
            return cached;
        }
        var latest = await _source.GetAsync(name, cancellationToken);
        if (latest is null || !SameObject(cached, latest))
        {
            // Gone, or deleted and created again: our write was the old object's, and the new one comes by the watch.
            _ownWrites.TryRemove(KeyValuePair.Create(name, written));
            return cached;
        }
        if (string.Equals(latest.Metadata.ResourceVersion, cached.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            // Someone wrote after us and the cache has that copy (a coalescing watch may never show ours): caught up.
            _ownWrites.TryRemove(KeyValuePair.Create(name, written));
        }
        // Otherwise the mark stays: until the watch catches up every read must go past the stale copy, or a reconcile
        // would start from the status before our write and write a change that is not one.
        return latest;
    }

    /// <summary>Notes that this process just stored <paramref name="written"/>, so reads go past an older cached copy.</summary>
    public void RecordWrite(T written)
    {
        if (written.Metadata.ResourceVersion is { } version)
        {
            _ownWrites[written.Metadata.Name] = version;
        }
    }

    /// <summary>The names of every cached object.</summary>
    public IReadOnlyCollection<string> Keys() => [.. _cache.Keys];

    /// <summary>Completes when the first list is in the cache.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Lists, watches and resyncs until <paramref name="cancellationToken"/> fires; failures are logged and retried.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArmResync();
        string? version = null;
        var needList = true;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    version = await ListAsync(cancellationToken);
                    needList = false;
                    _synced.TrySetResult();
                }
                var events = 0;
                await foreach (var change in _source.WatchAsync(version, cancellationToken))
                {
                    version = change.Version ?? version;
                    Apply(change);
                    events++;
                    failures = 0;
                }
                if (events == 0)
                {
                    // A source that closes its watch at once would otherwise be polled in a tight loop.
                    await Task.Delay(_options.RetryDelay, _time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (WatchExpiredException ex)
            {
                _logger.LogWarning("{Kind} watch fell behind at version {Version}: relisting ({Reason})", Kind, version, ex.Message);
                needList = true;
            }
            catch (Exception ex)
            {
                var delay = RetryDelay(failures++);
                if (ExpectedFailure.Is(ex))
                {
                    _logger.LogWarning("{Kind} {Phase} failed; retrying in {Delay}: {Error}", Kind, needList ? "list" : "watch", delay, ExpectedFailure.OneLine(ex));
                }
                else
                {
                    _logger.LogWarning(ex, "{Kind} {Phase} failed; retrying in {Delay}", Kind, needList ? "list" : "watch", delay);
                }
                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    public void Dispose() => _resyncTimer?.Dispose();

    private async Task<string?> ListAsync(CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, T>(StringComparer.Ordinal);
        string? continueToken = null;
        string? version;
        do
        {
            var page = await _source.ListAsync(continueToken, _options.PageSize, cancellationToken);
            foreach (var item in page.Items)
            {
                listed[item.Metadata.Name] = item;
            }
            continueToken = page.ContinueToken;
            version = page.Version;
        }
        while (continueToken is not null);

        lock (_deliver)
        {
            foreach (var (name, item) in listed)
            {
                Upsert(name, item);
            }
            foreach (var name in _cache.Keys.Where(name => !listed.ContainsKey(name)).ToList())
            {
                _ownWrites.TryRemove(name, out _);
                if (_cache.TryRemove(name, out var gone))
                {
                    Notify(h => h.OnDelete(gone));
                }
            }
            ListCount++;
        }
        _logger.LogInformation("{Kind} listed {Count} objects at version {Version}", Kind, listed.Count, version);
        return version;
    }

    private void Apply(WatchEvent<T> change)
    {
        var name = change.Object.Metadata.Name;
        lock (_deliver)
        {
            if (change.Type == WatchEventType.Deleted)
            {
                // A late deletion of an older object of the same name must not take the one cached now.
                if (_cache.TryGetValue(name, out var cached) && SameObject(cached, change.Object) && _cache.TryRemove(name, out _))
                {
                    _ownWrites.TryRemove(name, out _);
                    Notify(h => h.OnDelete(change.Object));
                }
                return;
            }
            Upsert(name, change.Object);
        }
    }

    private void Upsert(string name, T item)
    {
        if (item.Metadata.ResourceVersion is { } version)
        {
            _ownWrites.TryRemove(KeyValuePair.Create(name, version));
        }
        if (_cache.TryGetValue(name, out var previous))
        {
            if (!SameObject(previous, item))
            {
                // Deleted and created again while we were not looking: the old object went, a new one came.
                _cache[name] = item;
                Notify(h => h.OnDelete(previous));
                Notify(h => h.OnAdd(item));
                return;
            }
            if (!IsNewer(item, previous))
            {
                // The same version again, or an older one (a relist racing the watch, a replayed event).
                return;
            }
            _cache[name] = item;
            Notify(h => h.OnUpdate(previous, item));
            return;
        }
        _cache[name] = item;
        Notify(h => h.OnAdd(item));
    }

    /// <summary>Same uid (or one of them has none): the same object, whose versions can be ordered.</summary>
    private static bool SameObject(T cached, T incoming) =>
        cached.Metadata.Uid is null || incoming.Metadata.Uid is null || string.Equals(cached.Metadata.Uid, incoming.Metadata.Uid, StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="incoming"/> is a later version of the same object. Both stores count an object's
    /// resourceVersion up from 1, so numbers order; a version that is not a number is only known to differ.
    /// </summary>
    private static bool IsNewer(T incoming, T cached)
    {
        var next = incoming.Metadata.ResourceVersion;
        var seen = cached.Metadata.ResourceVersion;
        if (long.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out var nextNumber)
            && long.TryParse(seen, NumberStyles.None, CultureInfo.InvariantCulture, out var seenNumber))
        {
            return nextNumber > seenNumber;
        }
        return seen is null || !string.Equals(seen, next, StringComparison.Ordinal);
    }

    private void Notify(Action<IInformerHandler<T>> call)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                call(handler);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "{Kind} informer handler {Handler} failed", Kind, handler.GetType().Name);
            }
        }
    }

    private void ArmResync()
    {
        var period = _options.ResyncPeriod;
        if (period <= TimeSpan.Zero || _resyncTimer is not null)
        {
            return;
        }
        _resyncTimer = _time.CreateTimer(_ => Resync(), null, NextResync(period), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Re-delivers every cached object now, as the periodic resync does (its schedule is unchanged); answers how many.</summary>
    public int ResyncNow()
    {
        lock (_deliver)
        {
            Notify(h => h.OnResyncStarting());
            var items = _cache.Values.ToList();
            foreach (var item in items)
            {
                Notify(h => h.OnResync(item));
            }
            return items.Count;
        }
    }

    private void Resync()
    {
        ResyncNow();
        // A fresh timer each period (see WorkQueue: re-arming from inside a one-shot callback is not portable).
        var previous = _resyncTimer;
        _resyncTimer = _time.CreateTimer(_ => Resync(), null, NextResync(_options.ResyncPeriod), Timeout.InfiniteTimeSpan);
        previous?.Dispose();
    }

    private TimeSpan NextResync(TimeSpan period)
    {
        double factor;
        lock (_random)
        {
            factor = 1.0 + (_options.ResyncJitter * ((2 * _random.NextDouble()) - 1));
        }
        return TimeSpan.FromTicks((long)(period.Ticks * factor));
    }

    private TimeSpan RetryDelay(int failures) =>
        ExponentialBackoff<int>.Unjittered(failures, _options.RetryDelay, _options.MaxRetryDelay);
}
