namespace Reconciler.Controller.Sync;

/// <summary>Sync status records, one per source, each written with a compare-and-swap on its version.</summary>
public interface ISyncStatusStore
{
    /// <summary>The record of <paramref name="source"/> and its version (0 when there is none).</summary>
    Task<(SyncStatus? Status, long Version)> GetAsync(string source, CancellationToken cancellationToken);

    Task<IReadOnlyList<SyncStatus>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes the record if the stored version is <paramref name="expectedVersion"/>; returns the new version, or null if someone else wrote first.</summary>
    Task<long?> TryPutAsync(SyncStatus status, long expectedVersion, CancellationToken cancellationToken);
}
