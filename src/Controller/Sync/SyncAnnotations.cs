namespace Reconciler.Controller.Sync;

/// <summary>The annotations a sync writes on (and reads from) the documents it owns.</summary>
public static class SyncAnnotations
{
    /// <summary>Which source owns the document: <c>&lt;repository&gt;//&lt;path&gt;</c> (<see cref="GitSource.Id"/>).</summary>
    public const string Source = "reconciler.io/sync-source";

    /// <summary>The revision whose content the document was last written from.</summary>
    public const string Revision = "reconciler.io/sync-revision";

    /// <summary>The file (relative to the synced path) that declares the document.</summary>
    public const string File = "reconciler.io/sync-file";

    /// <summary><c>disabled</c> on a document keeps it in the store when it leaves the repository.</summary>
    public const string Prune = "reconciler.io/sync-prune";

    public const string PruneDisabled = "disabled";

    /// <summary>Annotations that change on every write and so never count as a change by themselves.</summary>
    public static IReadOnlySet<string> PerWrite { get; } = new HashSet<string>(StringComparer.Ordinal) { Revision, Runtime.RuntimeAnnotations.TraceParent };
}
