using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Reconciliation;

/// <summary>Settings of <see cref="PipelineReconciler"/>.</summary>
public sealed record PipelineReconcilerOptions
{
    /// <summary>The informer's resync period: status reports the next resync from it, and a conflict is looked at again after it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = RuntimeDefaults.ResyncPeriod;

    /// <summary>When to look again for a missing Pulumi access-token parameter.</summary>
    public TimeSpan MissingTokenRetry { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The first retry of a spec whose stack another update holds (doubles up to <see cref="LockRetryMax"/>).</summary>
    public TimeSpan LockRetryBase { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between retries of a locked stack.</summary>
    public TimeSpan LockRetryMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When to look again while deleted resources are still visible.</summary>
    public TimeSpan DeletionRecheck { get; init; } = TimeSpan.FromSeconds(2);
}
