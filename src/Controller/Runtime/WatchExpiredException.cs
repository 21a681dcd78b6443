namespace Reconciler.Controller.Runtime;

/// <summary>A watch cannot resume from the requested version (the change log moved past it); the informer relists.</summary>
public sealed class WatchExpiredException : Exception
{
    public WatchExpiredException() : base("the watch fell behind the change log; a relist is needed") { }

    public WatchExpiredException(string message) : base(message) { }

    public WatchExpiredException(string message, Exception inner) : base(message, inner) { }
}
