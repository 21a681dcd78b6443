namespace Reconciler.Controller.Runtime;

/// <summary>
/// A part the composition root starts and stops with the process (controller-runtime's <c>Runnable</c>): a controller,
/// a sync loop, a page. Started in the order they were added, once the shared cache is running; stopped in reverse.
/// </summary>
public interface IRunnable
{
    /// <summary>A short name for logs (<c>pipelines</c>, <c>sync</c>).</summary>
    string Name { get; }

    /// <summary>Starts the work in the background and returns; the token cancels the start, not the work.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops taking work and lets work in flight finish (the token cuts that short).</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
