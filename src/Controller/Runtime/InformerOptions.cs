namespace Reconciler.Controller.Runtime;

/// <summary>Settings of an <see cref="Informer{T}"/>; defaults from <see cref="RuntimeDefaults"/>.</summary>
public sealed record InformerOptions<T>
{
    /// <summary>Items per list page (at least 1; default <see cref="RuntimeDefaults.ListPageSize"/>).</summary>
    public int PageSize { get; init; } = RuntimeDefaults.ListPageSize;

    /// <summary>How often every cached object is re-delivered (default <see cref="RuntimeDefaults.ResyncPeriod"/>); zero turns resync off.</summary>
    public TimeSpan ResyncPeriod { get; init; } = RuntimeDefaults.ResyncPeriod;

    /// <summary>Each period is moved by up to this fraction either way, so replicas do not resync together (0 to 1; default <see cref="RuntimeDefaults.ResyncJitter"/>).</summary>
    public double ResyncJitter { get; init; } = RuntimeDefaults.ResyncJitter;

    /// <summary>The first wait after a failed list or watch; doubles up to <see cref="MaxRetryDelay"/> (positive; default <see cref="RuntimeDefaults.WatchRetryDelay"/>).</summary>
    public TimeSpan RetryDelay { get; init; } = RuntimeDefaults.WatchRetryDelay;

    /// <summary>The longest wait between list or watch attempts (at least <see cref="RetryDelay"/>; default <see cref="RuntimeDefaults.WatchRetryMaxDelay"/>).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = RuntimeDefaults.WatchRetryMaxDelay;

    /// <summary>Makes the copy handed out of the cache, so a reconciler cannot change the cache by accident; null hands out the cached object.</summary>
    public Func<T, T>? Copy { get; init; }

    /// <summary>The jitter source; tests pass a seeded one. Null: a new one.</summary>
    public Random? Random { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, $"{nameof(InformerOptions<T>)}.{nameof(PageSize)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncPeriod, TimeSpan.Zero, $"{nameof(InformerOptions<T>)}.{nameof(ResyncPeriod)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncJitter, 0, $"{nameof(InformerOptions<T>)}.{nameof(ResyncJitter)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ResyncJitter, 1, $"{nameof(InformerOptions<T>)}.{nameof(ResyncJitter)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryDelay, TimeSpan.Zero, $"{nameof(InformerOptions<T>)}.{nameof(RetryDelay)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, $"{nameof(InformerOptions<T>)}.{nameof(MaxRetryDelay)}");
    }
}
