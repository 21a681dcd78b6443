namespace Reconciler.Controller.Store;

/// <summary>Where the embedded store keeps its file and how its watch polls the change log.</summary>
public sealed record SqliteStoreOptions
{
    public static readonly string DefaultPath = System.IO.Path.Combine(".reconciler", "reconciler.db");

    public string Path { get; init; } = DefaultPath;

    /// <summary>How often a watch looks for new change-log entries when it has caught up.</summary>
    public TimeSpan WatchPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many change-log entries are kept; a watch older than that gets <see cref="WatchExpiredException"/>.</summary>
    public int ChangeLogRetention { get; init; } = 10_000;

    /// <summary>How long a write waits for another process's lock before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
