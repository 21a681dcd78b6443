using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>The CLI against DynamoDB (dynalite), tables created by <c>reconciler store init</c> itself.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbStoreCliTests(DynaliteServer dynalite) : StoreCliTests
{
    private readonly string _table = $"cli-{Guid.NewGuid():N}";
    private DynamoDbSpecStore? _store;

    protected override IReadOnlyList<string> StoreArguments => ["--store", $"dynamodb:{_table}", "--endpoint-url", dynalite.Endpoint.ToString()];

    protected override IReadOnlyDictionary<string, string>? Environment => DynaliteServer.ClientEnvironment;

    protected override Task<ISpecStore> OpenStoreAsync() =>
        Task.FromResult<ISpecStore>(_store ??= new DynamoDbSpecStore(dynalite.CreateClient(), new DynamoDbStoreOptions { TableName = _table }, ownsClient: true));

    public override async Task InitializeAsync()
    {
        var init = await RunAsync("store", "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains($"table {_table} created", init.Output, StringComparison.Ordinal);
        Assert.Contains($"table {_table}-leases created", init.Output, StringComparison.Ordinal);
        Assert.Contains($"table {_table}-sync created", init.Output, StringComparison.Ordinal);
    }

    public override async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
