namespace Reconciler.Controller.Engines;

/// <summary>A create found a resource of that name that the spec does not own; the engine leaves it alone.</summary>
public sealed class OwnershipConflictException : Exception
{
    public OwnershipConflictException(string message) : base(message) { }
    public OwnershipConflictException() { }
    public OwnershipConflictException(string message, Exception inner) : base(message, inner) { }
}
