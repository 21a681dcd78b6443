using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Hosting;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Sync;

/// <summary>
/// The sync loop as a runnable of <c>reconciler run</c>: one source, synced every interval by whichever replica holds
/// the <c>lease/syncer</c> lease, and the <c>POST /hooks/git</c> route when a webhook secret is configured.
/// </summary>
public sealed class SyncRunnable : IRunnable, IWebRoutes, IAsyncDisposable
{
    public const string LeaseName = "syncer";

    private readonly NamedLease? _lease;
    private readonly GitHookRoutes? _hook;
    private readonly ILogger _logger;
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;

    private SyncRunnable(SyncLoop loop, NamedLease? lease, GitHookRoutes? hook, ILogger logger)
    {
        Loop = loop;
        _lease = lease;
        _hook = hook;
        _logger = logger;
    }

    public string Name => "sync";

    public SyncLoop Loop { get; }

    /// <summary>True when <c>POST /hooks/git</c> is served.</summary>
    public bool HasWebhook => _hook is not null;

    /// <param name="webhookSecret">The shared secret of <c>POST /hooks/git</c>; null or empty leaves the route off.</param>
    public static async Task<SyncRunnable> CreateAsync(ReconcilerHost host, StoreLocation location, SyncOptions options, string cacheDir, TimeSpan interval,
        string? webhookSecret, CancellationToken cancellationToken, string? leaseScope = null)
    {
        var loggers = host.Loggers;
        var statuses = await SyncStatusStores.OpenAsync(location, cancellationToken);
        var cache = new GitRepositoryCache(cacheDir, GitCredentials.FromEnvironment(), loggers.CreateLogger<GitRepositoryCache>());
        var syncer = new Syncer(cache, host.Store, statuses, options, host.Time, loggers.CreateLogger<Syncer>());
        NamedLease? lease = null;
        if (host.Leases is { } shards)
        {
            // The shards' lease table holds this lease too: one replica syncs, whichever holds it.
            ILeaseStore leases = location.Kind == StoreKind.Sqlite
                ? await SqliteLeaseStore.OpenAsync(location.Target, cancellationToken)
                : new DynamoDbLeaseStore(location.CreateDynamoDbClient(), location.DynamoDbOptions.LeaseTableName);
            if (leaseScope is not null)
            {
                // Controllers of other selectors (or names) on this table sync their own repositories: each scope has its syncer.
                leases = new ScopedLeaseStore(leases, leaseScope);
            }
            lease = new NamedLease(leases, LeaseName, shards.Identity, timeProvider: host.Time, logger: loggers.CreateLogger<NamedLease>());
        }
        var loop = new SyncLoop(syncer, interval, host.Time, loggers.CreateLogger<SyncLoop>(), lease);
        var hook = string.IsNullOrEmpty(webhookSecret)
            ? null
            : new GitHookRoutes(new GitHookSignature(webhookSecret, host.Time), loop.Trigger, loggers.CreateLogger<GitHookRoutes>());
        return new SyncRunnable(loop, lease, hook, loggers.CreateLogger<SyncRunnable>());
    }

    public void Map(IEndpointRouteBuilder endpoints) => _hook?.Map(endpoints);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _running = Task.Run(() => Loop.RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null)
        {
            return;
        }
        // A sync cut short here is completed by the next holder of the lease (its progress is recorded).
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("sync loop did not stop in time");
        }
    }

    public ValueTask DisposeAsync()
    {
        _lease?.Dispose();
        _stop?.Dispose();
        return ValueTask.CompletedTask;
    }
}
