namespace Reconciler.Model.Planning;

/// <summary>How an array at a given place in a resource compares, when not by position.</summary>
public abstract record CollectionRule
{
    /// <summary>Elements are entries of a map keyed by <paramref name="KeyField"/>; both sides must hold the same keys.</summary>
    /// <param name="ValueField">When set, an entry compares and reports as this one field (tags: <c>tags[k]: "a" → "b"</c>).</param>
    /// <param name="IgnoredKeyPrefix">Live keys with this prefix are the service's own (<c>aws:</c> tags) and ignored.</param>
    public sealed record Map(string KeyField, string? ValueField = null, string? IgnoredKeyPrefix = null) : CollectionRule;

    /// <summary>An unordered set of unordered sets (webhook filter groups): order never matters at either level.</summary>
    public sealed record SetOfSets : CollectionRule;
}
