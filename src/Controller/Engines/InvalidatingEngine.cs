using Reconciler.Controller.Observation;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Engines;

/// <summary>
/// The "invalidate what I changed" half of the engine contract, done once for every engine: before an apply, whatever
/// the reader cached of the plan's resources is dropped (so no read during the apply answers from before it); after it,
/// so is every resource changed or failed other than by a create, or by an update the engine read again after (a pipeline
/// with <see cref="AppliedResource.Observed"/>): those reads are kept as the freshest there are.
/// </summary>
internal sealed class InvalidatingEngine(IConvergeEngine inner, ILiveStateReader reader) : IConvergeEngine
{
    public string Name => inner.Name;

    /// <summary>The engine this one wraps (tests reach through to it).</summary>
    public IConvergeEngine Inner => inner;

    public async Task<ApplyOutcome> ApplyAsync(ConvergeRequest request, CancellationToken cancellationToken)
    {
        foreach (var step in request.Plan.Steps)
        {
            reader.Invalidate(step.Kind, step.Name);
        }
        var outcome = await inner.ApplyAsync(request, cancellationToken);
        foreach (var applied in outcome.Resources.Where(r => r.Action != StepAction.Create && r.Observed is null))
        {
            reader.Invalidate(applied.Kind, applied.Name);
        }
        foreach (var error in outcome.Errors)
        {
            reader.Invalidate(error.Kind, error.Name);
        }
        return outcome;
    }
}
