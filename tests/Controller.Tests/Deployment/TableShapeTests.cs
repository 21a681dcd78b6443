using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Cli;
using Reconciler.Controller.Tests.Dynalite;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// The template's tables are the ones <c>reconciler store init</c> creates: both are created in dynalite, one by the real
/// command and one from the template's properties, and their DescribeTable answers are compared.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class TableShapeTests(DynaliteServer dynalite)
{
    [Fact]
    public async Task The_template_s_spec_and_lease_tables_are_shaped_as_store_init_makes_them()
    {
        var byInit = $"init-{Guid.NewGuid():N}"[..20];
        var byTemplate = $"cfn-{Guid.NewGuid():N}"[..20];
        var init = await ReconcilerProcess.RunAsync(["store", "init", "--store", $"dynamodb:{byInit}", "--endpoint-url", dynalite.Endpoint.ToString()], DynaliteServer.ClientEnvironment);
        Assert.True(init.ExitCode == 0, init.ToString());

        var template = DeploymentTemplate.With(("TableName", byTemplate));
        using var client = dynalite.CreateClient();
        foreach (var resource in new[] { "SpecTable", "LeaseTable", "SyncTable" })
        {
            await client.CreateTableAsync(CreateTableRequest(template.Resource(resource)["Properties"]!.AsObject()));
        }
        var expectedLeases = new DynamoDbStoreOptions { TableName = byTemplate }.LeaseTableName;
        Assert.Equal(expectedLeases, (string?)template.Resource("LeaseTable")["Properties"]!["TableName"]);

        foreach (var (initTable, templateTable) in new[] { (byInit, byTemplate), ($"{byInit}-leases", expectedLeases), ($"{byInit}-sync", $"{byTemplate}-sync") })
        {
            var fromInit = Shape((await client.DescribeTableAsync(initTable)).Table);
            var fromTemplate = Shape((await client.DescribeTableAsync(templateTable)).Table);
            Assert.True(JsonNode.DeepEquals(fromInit, fromTemplate), $"store init: {fromInit}\ntemplate: {fromTemplate}");
        }
    }

    // CloudFormation's AWS::DynamoDB::Table properties are CreateTable's, except that a stream is on when it has a view type.
    private static CreateTableRequest CreateTableRequest(JsonObject properties)
    {
        var request = new CreateTableRequest
        {
            TableName = (string)properties["TableName"]!,
            AttributeDefinitions = [.. properties["AttributeDefinitions"]!.AsArray().Select(a => new AttributeDefinition((string)a!["AttributeName"]!, (string)a["AttributeType"]!))],
            KeySchema = [.. properties["KeySchema"]!.AsArray().Select(k => new KeySchemaElement((string)k!["AttributeName"]!, (string)k["KeyType"]!))],
            BillingMode = (string)properties["BillingMode"]!,
        };
        if (properties["StreamSpecification"] is { } stream)
        {
            request.StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = (string)stream["StreamViewType"]! };
        }
        var known = new HashSet<string> { "TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "StreamSpecification" };
        Assert.All(properties.Select(p => p.Key), key => Assert.Contains(key, known));
        return request;
    }

    // What makes a table's shape: keys, attribute types, billing, stream, indexes; not its name, ARN, times or counts.
    private static JsonObject Shape(TableDescription table) => new()
    {
        ["keys"] = new JsonArray([.. table.KeySchema.Select(k => (JsonNode)$"{k.AttributeName}:{k.KeyType}")]),
        ["attributes"] = new JsonArray([.. table.AttributeDefinitions.OrderBy(a => a.AttributeName).Select(a => (JsonNode)$"{a.AttributeName}:{a.AttributeType}")]),
        ["billing"] = table.BillingModeSummary?.BillingMode?.Value,
        ["stream"] = table.StreamSpecification?.StreamEnabled == true ? table.StreamSpecification.StreamViewType?.Value : null,
        ["globalIndexes"] = table.GlobalSecondaryIndexes?.Count ?? 0,
        ["localIndexes"] = table.LocalSecondaryIndexes?.Count ?? 0,
    };
}
