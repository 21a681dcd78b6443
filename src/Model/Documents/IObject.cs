namespace Reconciler.Model.Documents;

/// <summary>Anything with Kubernetes-style metadata: what the generic runtime needs to know of an object.</summary>
public interface IObject
{
    ObjectMeta Metadata { get; }
}
