using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Sync;

/// <summary>
/// The sync loop as <c>reconciler run</c> hosts it: one source, synced every interval by whichever replica holds the
/// <c>lease/syncer</c> lease, and the <c>POST /hooks/git</c> route when a webhook secret is configured.
/// </summary>
public sealed class SyncRunnable : IDisposable
{
    public const string LeaseName = "syncer";

    private readonly SyncLoop loop;
    private readonly NamedLease? lease;

    private SyncRunnable(SyncLoop loop, NamedLease? lease, IReadOnlyList<Action<IEndpointRouteBuilder>> routes)
    {
        this.loop = loop;
        this.lease = lease;
        Routes = routes;
    }

    /// <summary>The web routes it serves (the git webhook), empty without a secret.</summary>
    public IReadOnlyList<Action<IEndpointRouteBuilder>> Routes { get; }

    public SyncLoop Loop => loop;

    /// <param name="identity">This replica in the lease table; null runs alone, without a lease.</param>
    /// <param name="webhookSecret">The shared secret of <c>POST /hooks/git</c>; null or empty leaves the route off.</param>
    public static async Task<SyncRunnable> CreateAsync(SyncOptions options, string cacheDir, TimeSpan interval, ISpecStore specs, StoreLocation location,
        string? identity, string? webhookSecret, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var statuses = await SyncStatusStores.OpenAsync(location, cancellationToken);
        var cache = new GitRepositoryCache(cacheDir, GitCredentials.FromEnvironment(), loggers.CreateLogger<GitRepositoryCache>());
        var syncer = new Syncer(cache, specs, statuses, options, time, loggers.CreateLogger<Syncer>());
        NamedLease? lease = null;
        if (identity is not null)
        {
            ILeaseStore leases = location.Kind == StoreKind.Sqlite
                ? await SqliteLeaseStore.OpenAsync(location.Target, cancellationToken)
                : new DynamoDbLeaseStore(location.CreateDynamoDbClient(), location.DynamoDbOptions.LeaseTableName);
            lease = new NamedLease(leases, LeaseName, identity, timeProvider: time, logger: loggers.CreateLogger<NamedLease>());
        }
        var loop = new SyncLoop(syncer, interval, time, loggers.CreateLogger<SyncLoop>(), lease);
        IReadOnlyList<Action<IEndpointRouteBuilder>> routes = string.IsNullOrEmpty(webhookSecret)
            ? []
            : [GitHookEndpoint.Route(new GitHookSignature(webhookSecret), loop.Trigger, loggers.CreateLogger(typeof(GitHookEndpoint).FullName!))];
        return new SyncRunnable(loop, lease, routes);
    }

    public Task RunAsync(CancellationToken cancellationToken) => loop.RunAsync(cancellationToken);

    public void Dispose() => lease?.Dispose();
}
