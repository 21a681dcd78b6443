using System.Text.Json.Nodes;

namespace Reconciler.Controller.Tests.Aws;

public class SsmClientTests
{
    [Fact]
    public async Task ParameterExists_asks_DescribeParameters_with_a_Name_Equals_filter_and_follows_empty_pages()
    {
        await using var stub = await AwsStubServer.StartAsync(r => JsonNode.Parse(r.Body)!["NextToken"] is null
            ? StubResponse.Ok("""{"Parameters":[],"NextToken":"more"}""")
            : StubResponse.Ok("""{"Parameters":[{"Name":"/pulumi/access-token","Type":"SecureString","Version":3}]}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        Assert.True(await clients.Ssm.ParameterExistsAsync("/pulumi/access-token", CancellationToken.None));

        Assert.All(stub.Requests, r => Assert.Equal("AmazonSSM.DescribeParameters", r.Target));
        Assert.Equal("""{"ParameterFilters":[{"Key":"Name","Option":"Equals","Values":["/pulumi/access-token"]}]}""", stub.Requests.First().BodyText);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task ParameterExists_is_false_when_no_parameter_matches()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("""{"Parameters":[{"Name":"/pulumi/access-token-old"}]}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        Assert.False(await clients.Ssm.ParameterExistsAsync("/pulumi/access-token", CancellationToken.None));
    }
}
