namespace Reconciler.Controller.Sync;

/// <summary>The repository could not be fetched or the ref not resolved; the message names the source without credentials.</summary>
public sealed class GitSourceException : Exception
{
    public GitSourceException(string message, Exception? inner) : base(message, inner) { }
    public GitSourceException() { }
    public GitSourceException(string message) : base(message) { }
}
