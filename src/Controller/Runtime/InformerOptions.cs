namespace Reconciler.Controller.Runtime;

/// <summary>Settings of an <see cref="Informer{T}"/>.</summary>
/// <param name="PageSize">Items per list page.</param>
/// <param name="ResyncPeriod">How often every cached object is re-delivered (default <see cref="RuntimeDefaults.ResyncPeriod"/>); zero turns resync off.</param>
/// <param name="ResyncJitter">Each period is moved by up to this fraction either way, so replicas do not resync together.</param>
/// <param name="RetryDelay">The first wait after a failed list or watch; doubles up to <see cref="MaxRetryDelay"/>.</param>
/// <param name="Copy">Makes the copy handed out of the cache, so a reconciler cannot change the cache by accident.</param>
public sealed record InformerOptions<T>(
    int PageSize = 500,
    TimeSpan? ResyncPeriod = null,
    double ResyncJitter = 0.1,
    TimeSpan? RetryDelay = null,
    TimeSpan? MaxRetryDelay = null,
    Func<T, T>? Copy = null,
    Random? Random = null)
{
    public TimeSpan EffectiveResyncPeriod => ResyncPeriod ?? RuntimeDefaults.ResyncPeriod;

    public TimeSpan EffectiveRetryDelay => RetryDelay ?? TimeSpan.FromSeconds(1);

    public TimeSpan EffectiveMaxRetryDelay => MaxRetryDelay ?? TimeSpan.FromSeconds(30);
}
