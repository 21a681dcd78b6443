using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Dynalite;

/// <summary>
/// A dynalite (in-memory DynamoDB) process on a free loopback port, started once per test collection and killed
/// on dispose. Tests get their own table from <see cref="NewTableAsync"/>, so they do not see each other's items.
/// </summary>
public sealed class DynaliteServer : IAsyncLifetime
{
    private DynaliteProcess? _process;
    private int _tables;

    public Uri Endpoint => _process?.Endpoint ?? throw new InvalidOperationException("dynalite is not started");

    /// <summary>Fake credentials and the region the tests sign for; dynalite checks neither.</summary>
    public static IReadOnlyDictionary<string, string> ClientEnvironment { get; } = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public async Task InitializeAsync()
    {
        _process = await DynaliteProcess.StartAsync();
        using var client = CreateClient();
        await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest());
    }

    public AmazonDynamoDBClient CreateClient() =>
        new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 2,
        });

    /// <summary>Creates a fresh spec table (and its lease table) the way <c>reconciler store init</c> does.</summary>
    public async Task<DynamoDbStoreOptions> NewTableAsync(string prefix = "specs")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _tables)}-{Guid.NewGuid():N}";
        // At most 40 characters, as before; a short prefix gives a shorter name.
        var options = new DynamoDbStoreOptions { TableName = name[..Math.Min(name.Length, 40)], WatchPollInterval = TimeSpan.FromMilliseconds(25) };
        using var client = CreateClient();
        await DynamoDbTables.EnsureAsync(client, options, TimeProvider.System, CancellationToken.None);
        return options;
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>One dynalite process shared by every test class in the "dynalite" collection.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteServer>
{
    public const string Name = "dynalite";
}
