namespace Reconciler.Controller.Observation;

/// <summary>Tuning of <see cref="LiveStateReader"/>.</summary>
public sealed record LiveStateReaderOptions
{
    /// <summary>How long a BatchGetProjects batch waits for more names after its first one.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How many BatchGetProjects calls may be in flight at once.</summary>
    public int MaxConcurrentBatches { get; init; } = 4;

    /// <summary>How often the ListPipelines snapshot is taken again (the resync period).</summary>
    public TimeSpan PipelineSnapshotPeriod { get; init; } = TimeSpan.FromMinutes(5);
}
