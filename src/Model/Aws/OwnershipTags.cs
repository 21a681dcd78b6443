namespace Reconciler.Model.Aws;

/// <summary>Tag keys that mark a resource as owned by a spec; users may not set them.</summary>
public static class OwnershipTags
{
    public const string Prefix = "reconciler.io/";
    public const string ManagedBy = "reconciler.io/managed-by";
    public const string Spec = "reconciler.io/spec";
    public const string Uid = "reconciler.io/uid";
    public const string ManagedByValue = "reconciler";

    /// <summary>Every key the controller adds to each resource; they count against AWS's tag limit.</summary>
    public static readonly IReadOnlyList<string> Keys = [ManagedBy, Spec, Uid];
}
