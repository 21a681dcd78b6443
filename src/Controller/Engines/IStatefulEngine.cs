namespace Reconciler.Controller.Engines;

/// <summary>
/// An engine that keeps its own record of a spec's resources (the Pulumi engine's stack). When a spec moves to another
/// engine, this one lets go of the record without touching the resources, so that the other takes them over as they are:
/// nothing is deleted, nothing is made twice.
/// </summary>
public interface IStatefulEngine
{
    /// <summary>Forgets <paramref name="spec"/>'s resources, leaving them in AWS with their ownership tags; nothing to forget is no error.</summary>
    Task ReleaseAsync(string spec, CancellationToken cancellationToken);
}
