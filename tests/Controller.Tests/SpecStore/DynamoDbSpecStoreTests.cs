using Amazon.DynamoDBv2.Model;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>The store contract on DynamoDB through dynalite (which has no Streams API, so the watch polls).</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbSpecStoreTests(DynaliteServer dynalite) : SpecStoreContractTests
{
    private DynamoDbStoreOptions _options = new();

    protected override bool VersionsSurviveRestart => false;

    protected override bool WatchCoalescesBetweenPolls => true;

    public override async Task InitializeAsync() => _options = await dynalite.NewTableAsync();

    protected override Task<ISpecStore> OpenBackendAsync(TimeProvider clock) =>
        Task.FromResult<ISpecStore>(new DynamoDbSpecStore(dynalite.CreateClient(), _options, streams: null, clock, ownsClient: true));

    protected override async Task InjectMalformedAsync(string name)
    {
        using var client = dynalite.CreateClient();
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = _options.TableName,
            Item = new Dictionary<string, AttributeValue>
            {
                ["name"] = new() { S = name },
                ["rv"] = new() { N = "1" },
                ["metadata"] = new() { S = "typed by hand" },
                ["spec"] = new() { N = "5" },
            },
        });
    }

    protected override long MalformedSkipped(ISpecStore store) => ((DynamoDbSpecStore)store).Telemetry.MalformedItemsSkipped;

    [Fact]
    public async Task Documents_are_native_maps_and_an_item_over_400_KB_is_refused_by_name()
    {
        var store = await OpenAsync();
        await store.CreateAsync(Pipeline("website", new Dictionary<string, string> { ["team"] = "web" }), Ct);
        using var client = dynalite.CreateClient();
        var item = (await client.GetItemAsync(_options.TableName, new Dictionary<string, AttributeValue> { ["name"] = new() { S = "website" } })).Item;
        Assert.Equal("web", item["metadata"].M["labels"].M["team"].S);
        Assert.Equal("main", item["spec"].M["stages"].L[0].M["on"].M["push"].M["branch"].S);
        Assert.Equal("1", item["rv"].N);

        var huge = Pipeline("huge") with
        {
            Metadata = new ObjectMeta { Name = "huge", Annotations = new Dictionary<string, string> { ["blob"] = new string('x', 410 * 1024) } },
        };
        var error = await Assert.ThrowsAsync<StoreInvalidDocumentException>(() => store.CreateAsync(huge, Ct));
        Assert.Contains("'huge'", error.Message, StringComparison.Ordinal);
        Assert.Contains("400 KB", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync("huge", Ct));
    }

    [Fact]
    public async Task Store_init_is_idempotent_and_creates_the_lease_table()
    {
        using var client = dynalite.CreateClient();
        var again = await DynamoDbTables.EnsureAsync(client, _options, TimeProvider.System, Ct);
        Assert.All(again, report => Assert.False(report.Created));
        var leases = (await client.DescribeTableAsync(_options.LeaseTableName)).Table;
        Assert.Equal("shard", leases.KeySchema.Single().AttributeName);
        Assert.Equal(Amazon.DynamoDBv2.TableStatus.ACTIVE, leases.TableStatus);
    }
}
