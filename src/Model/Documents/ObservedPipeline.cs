namespace Reconciler.Model.Documents;

/// <summary>
/// A pipeline as it was when last seen matching its declaration: while ListPipelines shows the same version and update
/// time, and the spec still renders a declaration of the same digest, it is unchanged and need not be read again.
/// </summary>
/// <remarks>
/// Every UpdatePipeline moves the version and the update time, and a pipeline deleted and made again has a new update
/// time, so a hand change is seen. Tags are not versioned by CodePipeline: a tag changed alone is not (as with the
/// in-process cache of reads).
/// </remarks>
public sealed record ObservedPipeline
{
    /// <summary>The pipeline's version (GetPipeline's declaration, ListPipelines' summary).</summary>
    public int Version { get; init; }

    /// <summary>The pipeline's last update time (GetPipeline's metadata, ListPipelines' summary).</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The digest of the declaration and tags it matched (<c>DesiredPipeline.Hash</c>).</summary>
    public string Digest { get; init => field = value ?? ""; } = "";
}
