namespace Reconciler.Controller.Runtime;

/// <summary>Something <c>/readyz</c> asks: is this part ready to do its work, and why not.</summary>
public interface IReadinessCheck
{
    /// <summary>Ready, with a one-line detail either way (e.g. "informer synced; 5 of 16 shards held").</summary>
    (bool Ready, string Detail) CheckReadiness();
}
