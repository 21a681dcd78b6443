namespace Reconciler.Controller.Engines;

/// <summary>
/// Brings live resources to the desired state of one spec. The direct engine executes the plan as API calls; a
/// Pulumi engine would run preview then up on the spec's own stack from the same desired state (an empty desired
/// state meaning destroy), with its own locks and event stream, and report the same outcome.
/// </summary>
/// <remarks>
/// The contract: every resource the engine changed, or failed to change, is named in the outcome; the engine never
/// invalidates the live-state reader itself, the registry's wrapper does it around each apply from the plan and the
/// outcome. Reads during an apply are <c>Fresh</c>. New engines register through <see cref="IEngineDefinition"/>.
/// </remarks>
public interface IConvergeEngine
{
    /// <summary>The engine's name as status reports it (<c>direct</c>, <c>pulumi</c>).</summary>
    string Name { get; }

    /// <summary>Applies the request; per-resource failures are reported in the outcome, not thrown.</summary>
    Task<ApplyOutcome> ApplyAsync(ConvergeRequest request, CancellationToken cancellationToken);
}
