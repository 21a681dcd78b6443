namespace Reconciler.Controller.Store;

/// <summary>What a DynamoDB poll compares per item: its resourceVersion and uid (null where the item lacks them).</summary>
internal sealed record ItemHead(string? ResourceVersion, string? Uid);
