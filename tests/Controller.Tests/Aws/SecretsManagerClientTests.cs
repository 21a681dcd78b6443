using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>DescribeSecret on the wire: the request a stub sees, and the answers of LocalCloud's Secrets Manager.</summary>
public class SecretsManagerClientTests
{
    [Fact]
    public async Task DescribeSecret_sends_only_the_secret_id_to_the_secretsmanager_target()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok(
            """{"ARN":"arn:aws:secretsmanager:us-east-1:111122223333:secret:ci/pulumi-AbCdEf","Name":"ci/pulumi","VersionIdsToStages":{"v":["AWSCURRENT"]}}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var secret = await clients.SecretsManager.DescribeSecretAsync("ci/pulumi", CancellationToken.None);

        var request = Assert.Single(stub.Requests);
        Assert.Equal("secretsmanager.DescribeSecret", request.Target);
        Assert.Equal("""{"SecretId":"ci/pulumi"}""", request.BodyText);
        Assert.Equal("ci/pulumi", secret!.Name);
        Assert.True(secret.Readable(null, null));
    }

    [Fact]
    public async Task Against_LocalCloud_a_secret_is_described_by_name_and_ARN_and_a_missing_one_is_null()
    {
        await using var cloud = await EmbeddedCloud.StartAsync([], secrets: ["ci/pulumi"]);
        var arn = cloud.Server.Arns.Secret("ci/pulumi");

        var byName = await cloud.Clients.SecretsManager.DescribeSecretAsync("ci/pulumi", CancellationToken.None);
        var byArn = await cloud.Clients.SecretsManager.DescribeSecretAsync(arn, CancellationToken.None);
        var missing = await cloud.Clients.SecretsManager.DescribeSecretAsync("ci/nowhere", CancellationToken.None);

        Assert.Equal(arn, byName!.Arn);
        Assert.Equal("ci/pulumi", byArn!.Name);
        Assert.False(byName.ScheduledForDeletion);
        Assert.Equal(["AWSCURRENT"], Assert.Single(byName.VersionIdsToStages).Value);
        Assert.Null(missing);
        Assert.Equal(1, cloud.Server.Counters["SecretsManager.DescribeSecret"].Failed);
    }

    [Fact]
    public async Task A_secret_scheduled_for_deletion_is_described_but_not_readable()
    {
        await using var cloud = await EmbeddedCloud.StartAsync([], secrets: ["ci/pulumi"]);
        cloud.Server.State.ScheduleSecretDeletion("ci/pulumi");

        var secret = await cloud.Clients.SecretsManager.DescribeSecretAsync("ci/pulumi", CancellationToken.None);

        Assert.True(secret!.ScheduledForDeletion);
        Assert.False(secret.Readable(null, null));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("AWSCURRENT", null, true)]
    [InlineData("AWSPREVIOUS", null, true)]
    [InlineData("AWSPENDING", null, false)]
    [InlineData(null, "11111111111111111111111111111111", true)]
    [InlineData("AWSCURRENT", "11111111111111111111111111111111", false)]
    [InlineData(null, "33333333333333333333333333333333", false)]
    public void Readable_follows_the_staging_labels_of_the_versions(string? stage, string? id, bool readable)
    {
        var secret = new SecretMetadata("arn", "n", false, new Dictionary<string, IReadOnlyList<string>>
        {
            ["11111111111111111111111111111111"] = ["AWSPREVIOUS"],
            ["22222222222222222222222222222222"] = ["AWSCURRENT"],
        });

        Assert.Equal(readable, secret.Readable(stage, id));
    }
}
