using Reconciler.Controller.Runtime;
using Reconciler.Controller.Tests.Dynalite;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>The lease contract on the DynamoDB lease table (<c>&lt;table&gt;-leases</c>, created as <c>store init</c> does), through dynalite.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbLeaseCoordinatorTests(DynaliteServer dynalite) : LeaseCoordinatorContract
{
    protected override async Task<ILeaseStore> OpenStoreAsync()
    {
        var options = await dynalite.NewTableAsync("leases");
        return new DynamoDbLeaseStore(dynalite.CreateClient(), options.LeaseTableName);
    }
}
