using Amazon;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Store;

/// <summary>Which store to open: <c>sqlite:&lt;path&gt;</c> or <c>dynamodb:&lt;table&gt;</c>, with the AWS region and endpoint for DynamoDB.</summary>
public sealed record StoreLocation(StoreKind Kind, string Target, string? Region = null, string? EndpointUrl = null)
{
    public static StoreLocation Default { get; } = new(StoreKind.Sqlite, SqliteStoreOptions.DefaultPath);

    /// <exception cref="FormatException">The value is not <c>sqlite:&lt;path&gt;</c> or <c>dynamodb:&lt;table&gt;</c>.</exception>
    public static StoreLocation Parse(string? value, string? region = null, string? endpointUrl = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default with { Region = region, EndpointUrl = endpointUrl };
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? value : value[..colon];
        var target = colon < 0 ? "" : value[(colon + 1)..];
        var kind = scheme.ToLowerInvariant() switch
        {
            "sqlite" => StoreKind.Sqlite,
            "dynamodb" => StoreKind.DynamoDb,
            _ => throw new FormatException($"store '{value}' is not sqlite:<path> or dynamodb:<table>"),
        };
        if (target.Length == 0)
        {
            target = kind == StoreKind.Sqlite ? SqliteStoreOptions.DefaultPath : DynamoDbStoreOptions.DefaultTableName;
        }
        if (endpointUrl is not null && !Uri.TryCreate(endpointUrl, UriKind.Absolute, out _))
        {
            throw new FormatException($"endpoint URL '{endpointUrl}' is not an absolute URL");
        }
        return new StoreLocation(kind, target, region, endpointUrl);
    }

    public override string ToString() => Kind == StoreKind.Sqlite
        ? $"sqlite:{Target}"
        : $"dynamodb:{Target}" + (EndpointUrl is null ? "" : $" at {EndpointUrl}") + (Region is null ? "" : $" ({Region})");

    /// <summary>Opens the store; the caller disposes it.</summary>
    public async Task<ISpecStore> OpenAsync(TimeProvider clock, ILogger logger, IDynamoDbStreamsClient? streams, CancellationToken cancellationToken)
    {
        if (Kind == StoreKind.Sqlite)
        {
            return await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Target }, clock, logger, cancellationToken);
        }
        return new DynamoDbSpecStore(CreateDynamoDbClient(), DynamoDbOptions, streams, clock, logger, ownsClient: true);
    }

    public DynamoDbStoreOptions DynamoDbOptions => new() { TableName = Target };

    /// <summary>A DynamoDB client on the SDK's credential chain (environment, profile, ECS task role), for this region and endpoint.</summary>
    public AmazonDynamoDBClient CreateDynamoDbClient()
    {
        var config = new AmazonDynamoDBConfig();
        if (EndpointUrl is not null)
        {
            config.ServiceURL = EndpointUrl;
            config.AuthenticationRegion = Region ?? "us-east-1";
        }
        else if (Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }
        return new AmazonDynamoDBClient(config);
    }
}

/// <summary>The two store adapters.</summary>
public enum StoreKind
{
    Sqlite,
    DynamoDb,
}
