using System.Net;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class ParameterStoreTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private AwsJsonTestClient Client => fixture.Client;

    [Fact]
    public async Task PutParameter_creates_version_1_refuses_a_second_create_and_overwrites_on_request()
    {
        var name = "/" + LocalCloudFixture.UniqueName("put") + "/token";

        var created = (await Client.Ssm("PutParameter", $$"""{ "Name": "{{name}}", "Value": "s3cr3t-value", "Type": "SecureString" }""")).EnsureOk().Body;
        var again = await Client.Ssm("PutParameter", $$"""{ "Name": "{{name}}", "Value": "other", "Type": "SecureString" }""");
        var overwritten = (await Client.Ssm("PutParameter", $$"""{ "Name": "{{name}}", "Value": "other", "Overwrite": true }""")).EnsureOk().Body;

        Assert.Equal(1, (long)created["Version"]!);
        Assert.Equal("Standard", (string?)created["Tier"]);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("ParameterAlreadyExists", again.ErrorType);
        Assert.Equal(2, (long)overwritten["Version"]!);
    }

    [Fact]
    public async Task DescribeParameters_with_a_Name_Equals_filter_answers_metadata_and_never_the_value()
    {
        var name = "/" + LocalCloudFixture.UniqueName("describe") + "/access-token";
        (await Client.Ssm("PutParameter", $$"""{ "Name": "{{name}}", "Value": "pul-0123456789", "Type": "SecureString" }""")).EnsureOk();

        var found = (await Client.Ssm("DescribeParameters", $$"""{ "ParameterFilters": [ { "Key": "Name", "Option": "Equals", "Values": ["{{name}}"] } ] }""")).EnsureOk();
        var missing = (await Client.Ssm("DescribeParameters", """{ "ParameterFilters": [ { "Key": "Name", "Values": ["/nothing/here"] } ] }""")).EnsureOk();

        var parameter = found.Body["Parameters"]!.AsArray().Single()!;
        Assert.Equal(name, (string?)parameter["Name"]);
        Assert.Equal("SecureString", (string?)parameter["Type"]);
        Assert.Equal($"arn:aws:ssm:us-east-1:123456789012:parameter{name}", (string?)parameter["ARN"]);
        Assert.DoesNotContain("pul-0123456789", found.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(missing.Body["Parameters"]!.AsArray());
    }

    [Fact]
    public async Task DescribeParameters_filters_by_prefix_and_path_and_rejects_unknown_filter_keys()
    {
        var root = "/" + LocalCloudFixture.UniqueName("path");
        foreach (var name in new[] { $"{root}/a", $"{root}/b", $"{root}/deep/c" })
        {
            (await Client.Ssm("PutParameter", $$"""{ "Name": "{{name}}", "Value": "v", "Type": "String" }""")).EnsureOk();
        }

        var oneLevel = (await Client.Ssm("DescribeParameters", $$"""{ "ParameterFilters": [ { "Key": "Path", "Values": ["{{root}}"] } ] }""")).EnsureOk();
        var recursive = (await Client.Ssm("DescribeParameters", $$"""{ "ParameterFilters": [ { "Key": "Path", "Option": "Recursive", "Values": ["{{root}}"] } ] }""")).EnsureOk();
        var unknown = await Client.Ssm("DescribeParameters", """{ "ParameterFilters": [ { "Key": "KeyId", "Values": ["x"] } ] }""");

        Assert.Equal([$"{root}/a", $"{root}/b"], oneLevel.Body["Parameters"]!.AsArray().Select(p => (string?)p!["Name"]));
        Assert.Equal(3, recursive.Body["Parameters"]!.AsArray().Count);
        Assert.Equal("InvalidFilterKey", unknown.ErrorType);
    }
}
