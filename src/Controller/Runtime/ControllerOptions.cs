namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="Controller{T}"/>.</summary>
/// <param name="Name">The controller's name: its metrics' <c>controller</c> tag and its queue's name.</param>
/// <param name="Workers">How many keys are reconciled at once (default <see cref="RuntimeDefaults.Workers"/>); one key never by two workers.</param>
/// <param name="ReconcileTimeout">How long one reconcile or finalize may run before it is cancelled and retried (default <see cref="RuntimeDefaults.ReconcileTimeout"/>).</param>
/// <param name="ShutdownTimeout">How long in-flight reconciles may take to finish on stop before they are cancelled (default <see cref="RuntimeDefaults.ShutdownTimeout"/>).</param>
/// <param name="Finalizer">The finalizer attached before the first reconcile.</param>
/// <param name="Queue">Queue and backoff settings; its name defaults to <paramref name="Name"/>.</param>
public sealed record ControllerOptions(
    string Name,
    int Workers = RuntimeDefaults.Workers,
    TimeSpan? ReconcileTimeout = null,
    TimeSpan? ShutdownTimeout = null,
    string Finalizer = RuntimeAnnotations.Finalizer,
    WorkQueueOptions? Queue = null)
{
    public TimeSpan EffectiveReconcileTimeout => ReconcileTimeout ?? RuntimeDefaults.ReconcileTimeout;

    public TimeSpan EffectiveShutdownTimeout => ShutdownTimeout ?? RuntimeDefaults.ShutdownTimeout;

    public WorkQueueOptions EffectiveQueue => (Queue ?? new WorkQueueOptions()) with { Name = Queue?.Name is { } n && n != "default" ? n : Name };
}
