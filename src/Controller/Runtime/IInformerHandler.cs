namespace Reconciler.Controller.Runtime;

/// <summary>Receives what an informer sees, in order, on its watch loop's thread; handlers must not block.</summary>
public interface IInformerHandler<in T>
{
    void OnAdd(T added);

    void OnUpdate(T previous, T current);

    void OnDelete(T deleted);

    /// <summary>A periodic resync re-delivers every cached object, whatever changed.</summary>
    void OnResync(T cached);
}
