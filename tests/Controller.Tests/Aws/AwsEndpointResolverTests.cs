using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

public class AwsEndpointResolverTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Regional_endpoints_follow_the_endpoint_prefix()
    {
        var options = new AwsClientOptions { Region = "eu-west-1" };
        Assert.Equal("https://codebuild.eu-west-1.amazonaws.com/", AwsEndpointResolver.ResolveEndpoint(AwsService.CodeBuild, "eu-west-1", options, Env()).ToString());
        Assert.Equal("https://streams.dynamodb.eu-west-1.amazonaws.com/", AwsEndpointResolver.ResolveEndpoint(AwsService.DynamoDbStreams, "eu-west-1", options, Env()).ToString());
        Assert.Equal("https://ssm.cn-north-1.amazonaws.com.cn/", AwsEndpointResolver.ResolveEndpoint(AwsService.Ssm, "cn-north-1", options, Env()).ToString());
    }

    [Fact]
    public void Service_variable_beats_global_variable_and_options_beat_both()
    {
        var env = Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:1111"), ("AWS_ENDPOINT_URL_CODEPIPELINE", "http://127.0.0.1:2222"));
        var none = new AwsClientOptions();
        Assert.Equal(1111, AwsEndpointResolver.ResolveEndpoint(AwsService.CodeBuild, "us-east-1", none, env).Port);
        Assert.Equal(2222, AwsEndpointResolver.ResolveEndpoint(AwsService.CodePipeline, "us-east-1", none, env).Port);

        var global = new AwsClientOptions { EndpointUrl = new Uri("http://127.0.0.1:3333") };
        Assert.Equal(3333, AwsEndpointResolver.ResolveEndpoint(AwsService.CodePipeline, "us-east-1", global, env).Port);

        var perService = global with { ServiceEndpointUrls = new Dictionary<string, Uri> { ["CODEPIPELINE"] = new("http://127.0.0.1:4444") } };
        Assert.Equal(4444, AwsEndpointResolver.ResolveEndpoint(AwsService.CodePipeline, "us-east-1", perService, env).Port);
        Assert.Equal(3333, AwsEndpointResolver.ResolveEndpoint(AwsService.CodeBuild, "us-east-1", perService, env).Port);
    }

    [Fact]
    public void Configured_endpoints_can_be_ignored()
    {
        var env = Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:1111"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
        Assert.Equal("codebuild.us-east-1.amazonaws.com", AwsEndpointResolver.ResolveEndpoint(AwsService.CodeBuild, "us-east-1", new AwsClientOptions(), env).Host);
    }

    [Fact]
    public void A_bad_endpoint_variable_is_named_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            AwsEndpointResolver.ResolveEndpoint(AwsService.DynamoDbStreams, "us-east-1", new AwsClientOptions(), Env(("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "not a url"))));
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Region_comes_from_options_then_AWS_REGION_then_AWS_DEFAULT_REGION()
    {
        Assert.Equal("eu-central-1", AwsEndpointResolver.ResolveRegion(new AwsClientOptions { Region = "eu-central-1" }, Env(("AWS_REGION", "us-west-2"))));
        Assert.Equal("us-west-2", AwsEndpointResolver.ResolveRegion(new AwsClientOptions(), Env(("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "ap-south-1"))));
        Assert.Equal("ap-south-1", AwsEndpointResolver.ResolveRegion(new AwsClientOptions(), Env(("AWS_DEFAULT_REGION", "ap-south-1"))));
        Assert.Throws<InvalidOperationException>(() => AwsEndpointResolver.ResolveRegion(new AwsClientOptions(), Env()));
    }
}
