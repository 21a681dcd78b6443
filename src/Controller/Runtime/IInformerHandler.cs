namespace Reconciler.Controller.Runtime;

/// <summary>Receives what an informer sees, in order, on its watch loop's thread; handlers must not block.</summary>
public interface IInformerHandler<in T>
{
    void OnAdd(T added);

    void OnUpdate(T previous, T current);

    void OnDelete(T deleted);

    /// <summary>A periodic resync re-delivers every cached object, whatever changed.</summary>
    void OnResync(T cached);

    /// <summary>A resync is about to re-deliver every cached object: once per resync, before the first <see cref="OnResync"/>.</summary>
    /// <remarks>For state kept per resync, such as a snapshot of what the cloud lists, which a resync must see afresh.</remarks>
    void OnResyncStarting()
    {
    }
}
