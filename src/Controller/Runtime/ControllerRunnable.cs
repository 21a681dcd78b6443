using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>
/// Runs a <see cref="Controller{T}"/>'s workers once its informer's cache has synced (reconciling from a half-listed
/// cache would finalize or recreate what is merely not listed yet); stopping drains in-flight reconciles.
/// </summary>
/// <param name="alsoSynced">More caches the reconciler reads (e.g. the templates specs name), waited for as well.</param>
public sealed class ControllerRunnable<T>(Informer<T> informer, Controller<T> controller, ILogger? logger = null, Func<CancellationToken, Task>? alsoSynced = null) : IRunnable, IAsyncDisposable
    where T : IObject
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly CancellationTokenSource _stopping = new();
    private Task _startWorkers = Task.CompletedTask;

    public string Name => controller.Name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var token = _stopping.Token;
        _startWorkers = Task.Run(async () =>
        {
            try
            {
                await informer.WaitForSyncAsync(token);
                if (alsoSynced is not null)
                {
                    await alsoSynced(token);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            controller.Start();
            _logger.LogInformation("{Controller} started: {Kind} cache synced", controller.Name, informer.Kind);
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("{Controller} stopping: finishing in-flight reconciles", controller.Name);
        // Workers not started yet never start: the stop cannot race a start that lands after it.
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        await _startWorkers;
        await controller.StopAsync(cancellationToken);
        _logger.LogInformation("{Controller} stopped", controller.Name);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }
        await _startWorkers;
        _stopping.Dispose();
    }
}
