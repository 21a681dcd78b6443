namespace Reconciler.Controller.Runtime;

/// <summary>One row of the lease table: a shard lease or a replica's membership heartbeat.</summary>
/// <param name="Name">The row key: <c>shard-07</c>, or <c>member/&lt;identity&gt;</c> for a heartbeat.</param>
/// <param name="Holder">Who holds it; empty once released.</param>
/// <param name="ExpiresAt">When it lapses unless renewed.</param>
/// <param name="Version">Bumped on every write; the compare-and-swap token.</param>
public sealed record Lease(string Name, string Holder, DateTimeOffset ExpiresAt, long Version)
{
    public bool IsHeldAt(DateTimeOffset now) => Holder.Length > 0 && ExpiresAt > now;
}
