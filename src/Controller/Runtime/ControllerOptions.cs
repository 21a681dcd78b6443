namespace Reconciler.Controller.Runtime;

/// <summary>Settings of a <see cref="Controller{T}"/>; defaults from <see cref="RuntimeDefaults"/>.</summary>
public sealed record ControllerOptions
{
    /// <summary>The controller's name: its metrics' <c>controller</c> tag and its queue's name. Required.</summary>
    public required string Name { get; init; }

    /// <summary>How many keys are reconciled at once (at least 1; default <see cref="RuntimeDefaults.Workers"/>); one key never by two workers.</summary>
    public int Workers { get; init; } = RuntimeDefaults.Workers;

    /// <summary>How long one reconcile or finalize may run before it is cancelled and retried (positive; default <see cref="RuntimeDefaults.ReconcileTimeout"/>).</summary>
    public TimeSpan ReconcileTimeout { get; init; } = RuntimeDefaults.ReconcileTimeout;

    /// <summary>How long in-flight reconciles may take to finish on stop before they are cancelled (zero or more; default <see cref="RuntimeDefaults.ShutdownTimeout"/>).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = RuntimeDefaults.ShutdownTimeout;

    /// <summary>The finalizer attached before the first reconcile.</summary>
    public string Finalizer { get; init; } = RuntimeAnnotations.Finalizer;

    /// <summary>Retry backoff of the controller's queue; the queue is named after the controller.</summary>
    public WorkQueueOptions Queue { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, $"{nameof(ControllerOptions)}.{nameof(Name)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, $"{nameof(ControllerOptions)}.{nameof(Workers)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconcileTimeout, TimeSpan.Zero, $"{nameof(ControllerOptions)}.{nameof(ReconcileTimeout)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, $"{nameof(ControllerOptions)}.{nameof(ShutdownTimeout)}");
        ArgumentException.ThrowIfNullOrWhiteSpace(Finalizer, $"{nameof(ControllerOptions)}.{nameof(Finalizer)}");
        Queue.Validate();
    }
}
