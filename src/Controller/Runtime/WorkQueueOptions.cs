namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="WorkQueue{TKey}"/>: its metric name and the per-key retry backoff.</summary>
/// <param name="Name">The <c>name</c> tag of the <c>workqueue_*</c> metrics (the controller's name).</param>
/// <param name="BaseDelay">The first retry's delay; doubles per consecutive failure.</param>
/// <param name="MaxDelay">The longest a failing key waits; it is retried at this interval forever, never dropped.</param>
/// <param name="JitterFraction">Up to this fraction of each delay is taken off at random, to spread retries.</param>
/// <param name="Random">The jitter source; tests pass a seeded one.</param>
public sealed record WorkQueueOptions(
    string Name = "default",
    TimeSpan? BaseDelay = null,
    TimeSpan? MaxDelay = null,
    double JitterFraction = 0.1,
    Random? Random = null)
{
    public TimeSpan EffectiveBaseDelay => BaseDelay ?? RuntimeDefaults.RetryBaseDelay;

    public TimeSpan EffectiveMaxDelay => MaxDelay ?? RuntimeDefaults.RetryMaxDelay;
}
