using Reconciler.Controller.Store;

namespace Reconciler.Controller.Sync;

/// <summary>Opens the sync status store beside a spec store: the same SQLite file, or the DynamoDB table <c>&lt;table&gt;-sync</c>.</summary>
public static class SyncStatusStores
{
    public static string DynamoDbTableFor(string specTable) => $"{specTable}-sync";

    public static async Task<ISyncStatusStore> OpenAsync(StoreLocation location, CancellationToken cancellationToken) => location.Kind == StoreKind.Sqlite
        ? await SqliteSyncStatusStore.OpenAsync(location.Target, cancellationToken)
        : new DynamoDbSyncStatusStore(location.CreateDynamoDbClient(), DynamoDbTableFor(location.Target));
}
