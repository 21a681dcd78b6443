using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.Controller.Tests.Runtime;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>
/// Listing templates on DynamoDB scans the whole table, specs and all: the template watch polls a change mark instead,
/// and scans only when it moved (or every <see cref="TemplateStoreObjectSource.FullListPeriod"/>).
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbTemplateMarkTests(DynaliteServer dynalite) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private DynamoDbStoreOptions _options = new();
    private Amazon.DynamoDBv2.AmazonDynamoDBClient _client = null!;
    private DynamoDbSpecStore _store = null!;
    private int _scans;
    private int _markReads;

    public async Task InitializeAsync()
    {
        _options = await dynalite.NewTableAsync();
        _client = dynalite.CreateClient();
        // Counts what the real client sends to dynalite: the scans a template poll costs.
        _client.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs { Request: ScanRequest })
            {
                Interlocked.Increment(ref _scans);
            }
            else if (e is WebServiceRequestEventArgs { Request: GetItemRequest get } && get.Key["name"].S == DynamoDbTemplateStore.KeyPrefix)
            {
                Interlocked.Increment(ref _markReads);
            }
        };
        _store = new DynamoDbSpecStore(_client, _options, streams: null, _time, ownsClient: true);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step) => RuntimeHarness.WaitUntilAsync(() =>
    {
        if (condition())
        {
            return true;
        }
        _time.Advance(step);
        return false;
    });

    private static PulumiPipelineTemplate Template(string name, string compute = "BUILD_GENERAL1_MEDIUM") => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new JsonObject { ["build"] = new JsonObject { ["computeType"] = compute } },
    };

    [Fact]
    public async Task The_mark_moves_with_every_template_write_and_no_list_shows_it()
    {
        var templates = _store.Templates;
        await _store.CreateAsync(Pipeline("website"), Ct);
        var start = await templates.ChangeMarkAsync(Ct);

        var created = await templates.CreateAsync(Template("standard"), Ct);
        var afterCreate = await templates.ChangeMarkAsync(Ct);
        await templates.GetAsync("standard", Ct);
        await templates.ListAsync(Ct);
        Assert.Equal(afterCreate, await templates.ChangeMarkAsync(Ct));
        await templates.UpdateAsync(created, Ct);
        Assert.Equal(afterCreate, await templates.ChangeMarkAsync(Ct));
        var changed = await templates.UpdateAsync(Template("standard", "BUILD_GENERAL1_LARGE") with { Metadata = created.Metadata }, Ct);
        var afterUpdate = await templates.ChangeMarkAsync(Ct);
        await templates.DeleteAsync("standard", changed.Metadata.ResourceVersion, Ct);
        var afterDelete = await templates.ChangeMarkAsync(Ct);

        Assert.Equal(4, new[] { start, afterCreate, afterUpdate, afterDelete }.Distinct().Count());
        Assert.Empty(await templates.ListAsync(Ct));
        Assert.Equal(["website"], (await _store.ListAsync(new ListOptions(100), Ct)).Items.Select(d => d.Metadata.Name));
    }

    [Fact]
    public async Task A_poll_scans_the_table_only_when_the_mark_moved_or_a_full_list_is_due()
    {
        await _store.CreateAsync(Pipeline("website"), Ct);
        var source = new TemplateStoreObjectSource(_store.Templates, TimeSpan.FromSeconds(5), _time);
        await source.ListAsync(null, 100, Ct);
        Assert.Equal(1, _scans);
        using var stop = new CancellationTokenSource();
        var events = source.WatchAsync(null, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = events.MoveNextAsync().AsTask();

        // Quiet polls: the mark is read each time, the table is not scanned. (The clock moves in steps until the
        // condition holds: the watch arms its next poll's timer only after the last mark read is answered.)
        await AdvanceUntilAsync(() => Volatile.Read(ref _markReads) >= 4, TimeSpan.FromSeconds(1));
        Assert.Equal(1, _scans);
        Assert.False(next.IsCompleted);

        // Another process applies a template: the next poll sees the mark move, scans once, and reports it.
        await using (var other = new DynamoDbSpecStore(dynalite.CreateClient(), _options, streams: null, _time, ownsClient: true))
        {
            await other.Templates.CreateAsync(Template("standard"), Ct);
        }
        await AdvanceUntilAsync(() => next.IsCompleted, TimeSpan.FromSeconds(1));
        Assert.True(await next);
        Assert.Equal((WatchEventType.Added, "standard"), (events.Current.Type, events.Current.Object.Metadata.Name));
        Assert.Equal(2, _scans);

        // With the mark still, a full list comes anyway once FullListPeriod has passed since the last.
        next = events.MoveNextAsync().AsTask();
        await AdvanceUntilAsync(() => Volatile.Read(ref _markReads) >= 6, TimeSpan.FromSeconds(1));
        Assert.Equal(2, _scans);
        await AdvanceUntilAsync(() => Volatile.Read(ref _scans) == 3, TimeSpan.FromSeconds(30));
        Assert.False(next.IsCompleted);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        await events.DisposeAsync();
    }
}
