using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Hosts one kind's informer, controller and (optionally) lease coordinator as a <see cref="IHostedService"/>.</summary>
/// <remarks>
/// Start: the coordinator begins taking shards, the informer lists and watches, and the workers start once the cache
/// has synced. Stop (SIGTERM): no new work is taken, in-flight reconciles get the controller's shutdown timeout
/// (30 s by default) to finish, then the informer stops and every lease is released so other replicas take over at once.
/// </remarks>
public sealed class ReconcilerHostedService<T> : IHostedService, IReadinessCheck, IAsyncDisposable where T : IObject
{
    private readonly Informer<T> informer;
    private readonly Controller<T> controller;
    private readonly LeaseCoordinator? coordinator;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private Task informerRun = Task.CompletedTask;
    private Task coordinatorRun = Task.CompletedTask;
    private Task startWorkers = Task.CompletedTask;

    public ReconcilerHostedService(Informer<T> informer, Controller<T> controller, LeaseCoordinator? coordinator = null, ILogger<ReconcilerHostedService<T>>? logger = null)
    {
        this.informer = informer;
        this.controller = controller;
        this.coordinator = coordinator;
        this.logger = logger ?? NullLogger<ReconcilerHostedService<T>>.Instance;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var token = stopping.Token;
        if (coordinator is not null)
        {
            coordinatorRun = Task.Run(() => coordinator.RunAsync(token), CancellationToken.None);
        }
        informerRun = Task.Run(() => informer.RunAsync(token), CancellationToken.None);
        startWorkers = Task.Run(async () =>
        {
            try
            {
                await informer.WaitForSyncAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            controller.Start();
            logger.LogInformation("{Controller} started: {Kind} cache synced", controller.Name, informer.Kind);
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("{Controller} stopping: finishing in-flight reconciles", controller.Name);
        await controller.StopAsync(cancellationToken);
        await stopping.CancelAsync();
        await Task.WhenAll(informerRun, coordinatorRun, startWorkers);
        if (coordinator is not null)
        {
            using var release = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            release.CancelAfter(TimeSpan.FromSeconds(5));
            await coordinator.ReleaseAllAsync(release.Token);
        }
        logger.LogInformation("{Controller} stopped", controller.Name);
    }

    public (bool Ready, string Detail) CheckReadiness()
    {
        var synced = informer.HasSynced;
        var detail = synced ? $"{informer.Kind} informer synced" : $"{informer.Kind} informer not synced yet";
        if (coordinator is null)
        {
            return (synced, detail);
        }
        var active = coordinator.IsActive;
        detail += active
            ? $"; {coordinator.HeldShards.Count} of {coordinator.ShardCount} shards held by {coordinator.Identity}"
            : "; no lease heartbeat yet";
        return (synced && active, detail);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }
        await Task.WhenAll(informerRun, coordinatorRun, startWorkers);
        stopping.Dispose();
    }
}
