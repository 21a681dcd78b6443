using Reconciler.Controller.Runtime;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Hosting;

/// <summary>What the composition root builds its shared pieces with (controller-runtime's manager options).</summary>
public sealed record ReconcilerHostOptions
{
    /// <summary>How often the shared cache hands every spec to its handlers again (drift detection); the ListPipelines snapshot is retaken with it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = RuntimeDefaults.ResyncPeriod;

    /// <summary>Only specs whose labels match are cached, so only they are reconciled (<c>team=web</c>); null: all.</summary>
    public string? Selector { get; init; }

    /// <summary>The one web server (health, readiness, metrics, routes runnables add); null: no server (the demo, most tests).</summary>
    public WebServerOptions? Web { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate() =>
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncPeriod, TimeSpan.Zero, $"{nameof(ReconcilerHostOptions)}.{nameof(ResyncPeriod)}");
}
