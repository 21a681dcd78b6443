using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Store;

/// <summary>What a store reports about itself: malformed items it skipped (logged and counted) and which watch it chose.</summary>
public sealed partial class StoreTelemetry
{
    public const string MeterName = "Reconciler.Store";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> MalformedCounter = Meter.CreateCounter<long>(
        "reconciler_store_malformed_items_total", unit: "{item}", description: "Stored items that could not be read as documents and were skipped.");

    private readonly ILogger _logger;
    private readonly string _store;
    private long _malformed;

    public StoreTelemetry(ILogger logger, string store)
    {
        _logger = logger;
        _store = store;
    }

    public ILogger Logger => _logger;

    /// <summary>How many malformed items this store instance has reported and skipped.</summary>
    public long MalformedItemsSkipped => Interlocked.Read(ref _malformed);

    public void ReportMalformed(string where, StoreInvalidDocumentException error)
    {
        Interlocked.Increment(ref _malformed);
        MalformedCounter.Add(1, new KeyValuePair<string, object?>("store", _store));
        LogMalformed(_logger, _store, where, error.Message);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Store}: skipped malformed item {Where}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string store, string where, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{Store}: watching by {Mode}: {Reason}")]
    public static partial void LogWatchMode(ILogger logger, string store, string mode, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "{Store}: change log pruned through {Seq}")]
    public static partial void LogPruned(ILogger logger, string store, long seq);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "{Store}: shard iterator for {ShardId} expired; refreshed from its last position")]
    public static partial void LogIteratorRefreshed(ILogger logger, string store, string shardId);
}
