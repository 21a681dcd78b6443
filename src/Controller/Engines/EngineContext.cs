using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;

namespace Reconciler.Controller.Engines;

/// <summary>What an engine is built from: the shared clients, the controller's live-state reader, and its own settings.</summary>
/// <param name="Reader">For reads during an apply; they must be <see cref="ObservationRequest.Fresh"/> to see the engine's own changes.</param>
/// <param name="Settings">The engine's <see cref="EngineSetting"/> values by name, defaults filled in (a setting with neither is absent).</param>
public sealed record EngineContext(
    AwsServices Aws,
    ILiveStateReader Reader,
    TimeProvider Time,
    ILoggerFactory Loggers,
    IReadOnlyDictionary<string, string> Settings);
