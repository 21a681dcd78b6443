namespace Reconciler.Controller.Runtime;

/// <summary>Leases as conditional writes: every change is a compare-and-swap on the row's version.</summary>
public interface ILeaseStore
{
    /// <summary>Every lease row, read consistently (settings are not among them).</summary>
    Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="lease"/> if the stored row's version is <paramref name="expectedVersion"/> (0: no row yet); false if not.</summary>
    Task<bool> TryWriteAsync(Lease lease, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes the row if its version is <paramref name="expectedVersion"/>; false if not.</summary>
    Task<bool> TryDeleteAsync(string name, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>The setting <paramref name="name"/>, read consistently; null when none is recorded.</summary>
    Task<LeaseSetting?> ReadSettingAsync(string name, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="setting"/> if the stored one's version is <paramref name="expectedVersion"/> (0: none yet); false if not.</summary>
    Task<bool> TryWriteSettingAsync(LeaseSetting setting, long expectedVersion, CancellationToken cancellationToken);
}
