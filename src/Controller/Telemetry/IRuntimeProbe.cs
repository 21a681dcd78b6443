namespace Reconciler.Controller.Telemetry;

/// <summary>A live component whose gauges <see cref="RuntimeMetrics"/> observes; a null reading means "not mine".</summary>
public interface IRuntimeProbe
{
    /// <summary>The tag the readings carry: <c>name</c> for a queue, <c>holder</c> for a lease coordinator.</summary>
    string TagName { get; }

    string TagValue { get; }

    double? Depth => null;

    double? UnfinishedWorkSeconds => null;

    double? LongestRunningProcessorSeconds => null;

    double? LeasesHeld => null;
}
