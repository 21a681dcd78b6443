using Reconciler.Controller.Engines;
using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Reconciliation;

/// <summary>How the pipeline controller runs: workers, engine, observer and token check (the resync period and selector are the host's); runtime defaults from <see cref="RuntimeDefaults"/>.</summary>
public sealed record PipelineControllerOptions
{
    /// <summary>Specs reconciled at once (at least 1); observation batches fill better with more.</summary>
    public int Workers { get; init; } = RuntimeDefaults.Workers;

    /// <summary>The converge engine, by its registered name (<see cref="EngineRegistry"/>).</summary>
    public string Engine { get; init; } = EngineRegistry.DefaultEngine;

    /// <summary>Every engine's settings by name (<see cref="EngineSetting"/>; each engine reads its own, a spec may name any engine); defaults are the engine's.</summary>
    public IReadOnlyDictionary<string, string> EngineSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Read one resource per call instead of batching (the benchmark's baseline).</summary>
    public bool NaiveObserver { get; init; }

    /// <summary>The default of <see cref="BatchWindow"/>.</summary>
    public static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a BatchGetProjects batch waits for more names once none come (with no other batch in flight).</summary>
    public TimeSpan BatchWindow { get; init; } = DefaultBatchWindow;

    /// <summary>Do not ask Parameter Store whether the token parameter exists (for endpoints without SSM).</summary>
    public bool SkipTokenCheck { get; init; }

    /// <summary>How long a found token parameter is believed to exist.</summary>
    public TimeSpan TokenParameterTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a reconcile may run before it is cancelled and retried.</summary>
    public TimeSpan ReconcileTimeout { get; init; } = RuntimeDefaults.ReconcileTimeout;

    /// <summary>How long in-flight reconciles may finish on stop before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = RuntimeDefaults.ShutdownTimeout;

    /// <summary>How often the template watch lists the templates (docs/templates.md, "Watch").</summary>
    public TimeSpan TemplatePollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Dependent specs a template change enqueues per second, after a first burst of <see cref="TemplateFanOutBurst"/>.</summary>
    public double TemplateFanOutRate { get; init; } = 10;

    /// <summary>Dependent specs a template change enqueues at once before <see cref="TemplateFanOutRate"/> applies.</summary>
    public int TemplateFanOutBurst { get; init; } = 20;

    /// <summary>The first retry delay of a failing spec (doubles up to five minutes).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = RuntimeDefaults.RetryBaseDelay;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, $"{nameof(PipelineControllerOptions)}.{nameof(Workers)}");
        ArgumentException.ThrowIfNullOrWhiteSpace(Engine, $"{nameof(PipelineControllerOptions)}.{nameof(Engine)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchWindow, TimeSpan.Zero, $"{nameof(PipelineControllerOptions)}.{nameof(BatchWindow)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(TokenParameterTtl, TimeSpan.Zero, $"{nameof(PipelineControllerOptions)}.{nameof(TokenParameterTtl)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconcileTimeout, TimeSpan.Zero, $"{nameof(PipelineControllerOptions)}.{nameof(ReconcileTimeout)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, $"{nameof(PipelineControllerOptions)}.{nameof(ShutdownTimeout)}");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryBaseDelay, TimeSpan.Zero, $"{nameof(PipelineControllerOptions)}.{nameof(RetryBaseDelay)}");
    }
}
