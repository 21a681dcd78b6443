namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="WorkQueue{TKey}"/>: its metric name and the per-key retry backoff; defaults from <see cref="RuntimeDefaults"/>.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>The <c>name</c> tag of the <c>workqueue_*</c> metrics; a controller's queue takes the controller's name.</summary>
    public string Name { get; init; } = "default";

    /// <summary>The first retry's delay; doubles per consecutive failure (positive; default <see cref="RuntimeDefaults.RetryBaseDelay"/>).</summary>
    public TimeSpan BaseDelay { get; init; } = RuntimeDefaults.RetryBaseDelay;

    /// <summary>The longest a failing key waits; it is retried at this interval forever, never dropped (at least <see cref="BaseDelay"/>; default <see cref="RuntimeDefaults.RetryMaxDelay"/>).</summary>
    public TimeSpan MaxDelay { get; init; } = RuntimeDefaults.RetryMaxDelay;

    /// <summary>Up to this fraction of each delay is taken off at random, to spread retries (0 to 1; default <see cref="RuntimeDefaults.RetryJitter"/>).</summary>
    public double JitterFraction { get; init; } = RuntimeDefaults.RetryJitter;

    /// <summary>The jitter source; tests pass a seeded one. Null: a new one.</summary>
    public Random? Random { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BaseDelay, TimeSpan.Zero, $"{nameof(WorkQueueOptions)}.{nameof(BaseDelay)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, $"{nameof(WorkQueueOptions)}.{nameof(MaxDelay)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(JitterFraction, 0, $"{nameof(WorkQueueOptions)}.{nameof(JitterFraction)}");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(JitterFraction, 1, $"{nameof(WorkQueueOptions)}.{nameof(JitterFraction)}");
    }
}
