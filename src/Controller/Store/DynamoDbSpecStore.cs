using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// The production spec store: one DynamoDB item per document (native maps, partition key <c>name</c>), every
/// mutation a conditional write on the item's resourceVersion. Watch reads DynamoDB Streams, or polls the
/// table where the table has no stream or the endpoint no Streams API (chosen once, logged once).
/// </summary>
public sealed class DynamoDbSpecStore : ISpecStore, IAsyncDisposable
{
    private const string Name = "dynamodb";
    private const int UnconditionalRetries = 20;

    private readonly IAmazonDynamoDB _client;
    private readonly IDynamoDbStreamsClient? _streams;
    private readonly DynamoDbStoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly bool _ownsClient;
    private readonly ConcurrentDictionary<string, byte> _reportedMalformed = new(StringComparer.Ordinal);
    private Task<WatchSource>? _watchSource;

    public DynamoDbSpecStore(IAmazonDynamoDB client, DynamoDbStoreOptions options, IDynamoDbStreamsClient? streams = null,
        TimeProvider? clock = null, ILogger? logger = null, bool ownsClient = false)
    {
        _client = client;
        _streams = streams;
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _ownsClient = ownsClient;
        Telemetry = new StoreTelemetry(logger ?? NullLogger.Instance, Name);
        Bookmarks = new PollingBookmarks(options.PollingBookmarks);
        StreamMarks = new StreamListMarks(options.PollingBookmarks);
        Templates = new DynamoDbTemplateStore(client, options.TableName, _clock);
    }

    public ITemplateStore Templates { get; }

    public StoreTelemetry Telemetry { get; }

    public string TableName => _options.TableName;

    internal PollingBookmarks Bookmarks { get; }

    /// <summary>Where the stream stood at each recent list, for watches that start from one.</summary>
    internal StreamListMarks StreamMarks { get; }

    public async Task<PulumiPipeline> CreateAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        var created = ObjectLifecycle.ForCreate(document, _clock);
        try
        {
            await _client.PutItemAsync(new PutItemRequest
            {
                TableName = _options.TableName,
                Item = DynamoDbItemCodec.ToItem(created),
                ConditionExpression = "attribute_not_exists(#name)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#name"] = DynamoDbItemCodec.KeyAttribute },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StoreAlreadyExistsException($"document '{created.Metadata.Name}' already exists");
        }
        catch (AmazonDynamoDBException e) when (IsItemTooLarge(e))
        {
            throw TooLarge(created.Metadata.Name, e);
        }
        return created;
    }

    public async Task<PulumiPipeline?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest
        {
            TableName = _options.TableName,
            Key = DynamoDbItemCodec.Key(name),
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? DynamoDbItemCodec.FromItem(item, _options.TableName) : null;
    }

    public async Task<ListPage<PulumiPipeline>> ListAsync(ListOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Limit, 1);
        var selector = LabelSelector.Parse(options.LabelSelector);
        var continuation = ListContinuation.Decode(options.ContinueToken);
        var source = await WatchSourceAsync();
        var version = continuation?.Version ?? (source.StreamArn is null
            ? Bookmarks.StartList(await ScanHeadsAsync(cancellationToken))
            : await DynamoDbStreamWatch.MarkListAsync(_streams!, source.StreamArn, StreamMarks, cancellationToken));
        var startKey = continuation is null ? null : DynamoDbItemCodec.Key(continuation.After);
        var items = new List<PulumiPipeline>();
        string? after = null;
        var more = true;
        while (items.Count < options.Limit && more)
        {
            var response = await _client.ScanAsync(new ScanRequest
            {
                TableName = _options.TableName,
                ConsistentRead = true,
                ExclusiveStartKey = startKey,
                Limit = Math.Max(options.Limit - items.Count, 100),
            }, cancellationToken);
            var pageFull = false;
            foreach (var item in response.Items ?? [])
            {
                if (items.Count == options.Limit)
                {
                    pageFull = true;
                    break;
                }
                after = item[DynamoDbItemCodec.KeyAttribute].S;
                var document = TryRead(item);
                if (document is null)
                {
                    continue;
                }
                Bookmarks.AddListed(version, document);
                if (selector.Matches(document.Metadata.Labels))
                {
                    items.Add(document);
                }
            }
            if (pageFull)
            {
                break;
            }
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            more = startKey is not null;
        }
        var token = more && after is not null ? new ListContinuation(version, after).Encode() : null;
        return new ListPage<PulumiPipeline>(items, token, version);
    }

    public Task<PulumiPipeline> UpdateAsync(PulumiPipeline document, CancellationToken cancellationToken) =>
        MutateAsync(document.Metadata.Name, document.Metadata.ResourceVersion, null, current => ObjectLifecycle.ForUpdate(current, document), cancellationToken)!;

    public Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, PipelineStatus status, CancellationToken cancellationToken) =>
        UpdateStatusAsync(name, resourceVersion, null, status, cancellationToken);

    public Task<PulumiPipeline> UpdateStatusAsync(string name, string resourceVersion, string? uid, PipelineStatus status, CancellationToken cancellationToken) =>
        MutateAsync(name, resourceVersion, uid, current => ObjectLifecycle.ForStatus(current, status), cancellationToken)!;

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        UpdateFinalizersAsync(name, resourceVersion, null, finalizers, cancellationToken);

    public Task<PulumiPipeline?> UpdateFinalizersAsync(string name, string resourceVersion, string? uid, IReadOnlyList<string> finalizers, CancellationToken cancellationToken) =>
        MutateAsync(name, resourceVersion, uid, current => ObjectLifecycle.ForFinalizers(current, finalizers), cancellationToken);

    public Task<PulumiPipeline?> DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken) =>
        MutateAsync(name, resourceVersion, null, current => ObjectLifecycle.ForDelete(current, _clock), cancellationToken);

    public async IAsyncEnumerable<WatchEvent<PulumiPipeline>> WatchAsync(string? fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var source = await WatchSourceAsync();
        IAsyncEnumerable<WatchEvent<PulumiPipeline>> events = source.StreamArn is { } arn
            ? new DynamoDbStreamWatch(_streams!, arn, this, _clock, _options.WatchPollInterval).WatchAsync(fromVersion, cancellationToken)
            : new DynamoDbPollingWatch(this, _clock, _options.WatchPollInterval).WatchAsync(fromVersion, cancellationToken);
        await foreach (var change in events.WithCancellation(cancellationToken))
        {
            yield return change;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Every readable document in the table, by consistent paged scans; malformed items are reported and skipped.</summary>
    internal async Task<Dictionary<string, PulumiPipeline>> ScanAllAsync(CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, PulumiPipeline>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await _client.ScanAsync(new ScanRequest { TableName = _options.TableName, ConsistentRead = true, ExclusiveStartKey = startKey }, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                if (TryRead(item) is { } document)
                {
                    documents[document.Metadata.Name] = document;
                }
            }
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
        return documents;
    }

    /// <summary>
    /// Name, resourceVersion and uid of every item, by consistent paged scans that project only those: what a
    /// poll needs to see what changed without reading whole documents.
    /// </summary>
    internal async Task<Dictionary<string, ItemHead>> ScanHeadsAsync(CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, ItemHead>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await _client.ScanAsync(new ScanRequest
            {
                TableName = _options.TableName,
                ConsistentRead = true,
                ExclusiveStartKey = startKey,
                ProjectionExpression = "#name, #rv, #meta.#uid",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#name"] = DynamoDbItemCodec.KeyAttribute,
                    ["#rv"] = DynamoDbItemCodec.VersionAttribute,
                    ["#meta"] = "metadata",
                    ["#uid"] = "uid",
                },
            }, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                if (item.TryGetValue(DynamoDbItemCodec.KeyAttribute, out var key) && key.S is { } name && !DynamoDbTemplateStore.IsTemplateKey(name))
                {
                    var rv = item.TryGetValue(DynamoDbItemCodec.VersionAttribute, out var version) ? version.N ?? version.S : null;
                    var uid = item.TryGetValue("metadata", out var meta) && meta.IsMSet && meta.M is not null && meta.M.TryGetValue("uid", out var id) ? id.S : null;
                    heads[name] = new ItemHead(rv, uid);
                }
            }
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
        return heads;
    }

    /// <summary>The readable documents among <paramref name="names"/> (consistent batch reads); missing and malformed ones are left out.</summary>
    internal async Task<Dictionary<string, PulumiPipeline>> FetchAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, PulumiPipeline>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(100))
        {
            var pending = new Dictionary<string, KeysAndAttributes>
            {
                [_options.TableName] = new() { ConsistentRead = true, Keys = chunk.Select(DynamoDbItemCodec.Key).ToList() },
            };
            while (pending.Count > 0)
            {
                var response = await _client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = pending }, cancellationToken);
                foreach (var item in response.Responses?.GetValueOrDefault(_options.TableName) ?? [])
                {
                    if (TryRead(item) is { } document)
                    {
                        documents[document.Metadata.Name] = document;
                    }
                }
                pending = response.UnprocessedKeys is { Count: > 0 } unprocessed ? unprocessed : [];
            }
        }
        return documents;
    }

    /// <summary>Reads an item; a malformed one is reported once per (name, version) and skipped (null).</summary>
    internal PulumiPipeline? TryRead(IReadOnlyDictionary<string, AttributeValue> item)
    {
        // Templates share the table under their own key prefix: every spec path (list, scans, stream records) skips them here.
        if (item.TryGetValue(DynamoDbItemCodec.KeyAttribute, out var itemKey) && itemKey.S is { } itemName && DynamoDbTemplateStore.IsTemplateKey(itemName))
        {
            return null;
        }
        try
        {
            return DynamoDbItemCodec.FromItem(item, _options.TableName);
        }
        catch (StoreInvalidDocumentException e)
        {
            var name = item.TryGetValue(DynamoDbItemCodec.KeyAttribute, out var key) ? key.S : null;
            var version = item.TryGetValue(DynamoDbItemCodec.VersionAttribute, out var rv) ? rv.N ?? rv.S : null;
            // A poll sees the same bad item on every scan: report it once, count it once.
            if (_reportedMalformed.TryAdd($"{name}\n{version}\n{e.Message}", 0))
            {
                Telemetry.ReportMalformed($"'{name}' in table {_options.TableName}", e);
            }
            return null;
        }
    }

    private async Task<PulumiPipeline?> MutateAsync(string name, string? resourceVersion, string? uid, Func<PulumiPipeline, StoreTransition> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(name, cancellationToken) ?? throw new StoreNotFoundException($"document '{name}' not found");
            ObjectLifecycle.CheckPrecondition(current, resourceVersion, uid);
            var transition = decide(current);
            try
            {
                return await PersistAsync(transition, current, cancellationToken);
            }
            catch (ConditionalCheckFailedException) when (resourceVersion is null && attempt < UnconditionalRetries)
            {
                // The caller asked for no precondition: our own read was overtaken, so read again.
            }
            catch (ConditionalCheckFailedException)
            {
                throw ObjectLifecycle.Conflict(name, resourceVersion ?? current.Metadata.ResourceVersion);
            }
        }
    }

    private async Task<PulumiPipeline?> PersistAsync(StoreTransition transition, PulumiPipeline current, CancellationToken cancellationToken)
    {
        // The uid too: between our read and this write the item may have been deleted and created again up to the same rv.
        var condition = new Dictionary<string, AttributeValue> { [":rv"] = new() { N = current.Metadata.ResourceVersion } };
        var names = new Dictionary<string, string> { ["#rv"] = DynamoDbItemCodec.VersionAttribute };
        var expression = "#rv = :rv";
        if (current.Metadata.Uid is { } uid)
        {
            condition[":uid"] = new() { S = uid };
            names["#meta"] = "metadata";
            names["#uid"] = "uid";
            expression += " AND #meta.#uid = :uid";
        }
        switch (transition.Kind)
        {
            case StoreTransitionKind.Put:
                try
                {
                    await _client.PutItemAsync(new PutItemRequest
                    {
                        TableName = _options.TableName,
                        Item = DynamoDbItemCodec.ToItem(transition.Document),
                        ConditionExpression = expression,
                        ExpressionAttributeNames = names,
                        ExpressionAttributeValues = condition,
                    }, cancellationToken);
                }
                catch (AmazonDynamoDBException e) when (IsItemTooLarge(e))
                {
                    throw TooLarge(current.Metadata.Name, e);
                }
                return transition.Document;
            case StoreTransitionKind.Remove:
                await _client.DeleteItemAsync(new DeleteItemRequest
                {
                    TableName = _options.TableName,
                    Key = DynamoDbItemCodec.Key(current.Metadata.Name),
                    ConditionExpression = expression,
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = condition,
                }, cancellationToken);
                return null;
            default:
                return current;
        }
    }

    /// <summary>Chosen once per store; a failed choice (the table unreachable) is retried on the next call.</summary>
    private Task<WatchSource> WatchSourceAsync()
    {
        var source = _watchSource;
        if (source is null || source.IsFaulted || source.IsCanceled)
        {
            source = ChooseWatchSourceAsync();
            _watchSource = source;
        }
        return source;
    }

    private async Task<WatchSource> ChooseWatchSourceAsync()
    {
        var logger = Telemetry.Logger;
        if (_streams is null)
        {
            StoreTelemetry.LogWatchMode(logger, Name, "polling", "no DynamoDB Streams client is configured");
            return new WatchSource(null);
        }
        var table = (await _client.DescribeTableAsync(_options.TableName)).Table;
        if (table.StreamSpecification?.StreamEnabled != true || table.LatestStreamArn is null)
        {
            StoreTelemetry.LogWatchMode(logger, Name, "polling", $"table {_options.TableName} has no stream");
            return new WatchSource(null);
        }
        try
        {
            await _streams.DescribeStreamAsync(table.LatestStreamArn, CancellationToken.None);
        }
        catch (AwsApiException e) when (e is not AwsThrottlingException and not AwsServiceErrorException and not AwsAccessDeniedException)
        {
            // dynalite and other stand-ins answer UnknownOperationException: the endpoint has no Streams API.
            StoreTelemetry.LogWatchMode(logger, Name, "polling", $"the endpoint has no DynamoDB Streams API ({e.ErrorCode})");
            return new WatchSource(null);
        }
        StoreTelemetry.LogWatchMode(logger, Name, "streams", table.LatestStreamArn);
        return new WatchSource(table.LatestStreamArn);
    }

    private static bool IsItemTooLarge(AmazonDynamoDBException e) =>
        e.Message.Contains("item size", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("maximum", StringComparison.OrdinalIgnoreCase);

    private StoreInvalidDocumentException TooLarge(string name, Exception e) =>
        new($"document '{name}' is over DynamoDB's 400 KB item limit in table {_options.TableName}: {e.Message}", e);

    private sealed record WatchSource(string? StreamArn);
}
