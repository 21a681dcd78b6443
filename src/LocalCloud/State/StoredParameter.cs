namespace Reconciler.LocalCloud.State;

/// <summary>A Parameter Store parameter's metadata. LocalCloud does not keep values: nothing it serves may return one.</summary>
public sealed record StoredParameter(
    string Name, string Type, long Version, double LastModifiedDate, string Tier = "Standard", string DataType = "text", string? Description = null);
