namespace Reconciler.Controller.Runtime;

/// <summary>A number every replica sharing a lease table must agree on (the shard count), kept next to the leases.</summary>
/// <param name="Name">The row key, e.g. <c>config/shards</c>.</param>
/// <param name="Value">The agreed number.</param>
/// <param name="Version">Bumped on every write; the compare-and-swap token, as for a lease.</param>
public sealed record LeaseSetting(string Name, long Value, long Version);
