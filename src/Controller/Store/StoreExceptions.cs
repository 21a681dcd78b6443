namespace Reconciler.Controller.Store;

/// <summary>Base of every error the spec store reports; the message names the document.</summary>
public class StoreException : Exception
{
    public StoreException(string message, Exception? inner = null) : base(message, inner) { }
    public StoreException() { }
    public StoreException(string message) : base(message) { }
}

/// <summary>A precondition failed: the document changed since it was read (stale resourceVersion).</summary>
public sealed class StoreConflictException : StoreException
{
    public StoreConflictException(string message) : base(message) { }
    public StoreConflictException() { }
    public StoreConflictException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The named document does not exist.</summary>
public sealed class StoreNotFoundException : StoreException
{
    public StoreNotFoundException(string message) : base(message) { }
    public StoreNotFoundException() { }
    public StoreNotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The document cannot be stored as it is (over the 400 KB item limit, malformed).</summary>
public sealed class StoreInvalidDocumentException : StoreException
{
    public StoreInvalidDocumentException(string message) : base(message) { }
    public StoreInvalidDocumentException() { }
    public StoreInvalidDocumentException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A create found a document of that name already there.</summary>
public sealed class StoreAlreadyExistsException : StoreException
{
    public StoreAlreadyExistsException(string message) : base(message) { }
    public StoreAlreadyExistsException() { }
    public StoreAlreadyExistsException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A watch was asked to resume from a version the store no longer keeps (the change log was pruned past it,
/// the stream trimmed it, or the bookmark belongs to another store instance): the caller must relist and watch
/// from the new list's version. Informers treat it as "relist", not as a failure.
/// </summary>
public sealed class WatchExpiredException : StoreException
{
    public WatchExpiredException(string message) : base(message) { }
    public WatchExpiredException() { }
    public WatchExpiredException(string message, Exception inner) : base(message, inner) { }
}
