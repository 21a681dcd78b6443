using Reconciler.Model.Planning;

namespace Reconciler.Controller.Observation;

/// <summary>Reads the live state of the resources a reconcile cares about.</summary>
public interface ILiveStateReader
{
    Task<LiveState> ObserveAsync(ObservationRequest request, CancellationToken cancellationToken);

    /// <summary>Drops whatever is cached about a resource; the engine registry's wrapper calls it for what each apply plans and changes.</summary>
    void Invalidate(ResourceKind kind, string name);

    /// <summary>A resync begins: what is cached per resync period (the ListPipelines snapshot) is taken again when next needed.</summary>
    void StartResync();
}
