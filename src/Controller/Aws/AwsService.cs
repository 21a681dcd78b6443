namespace Reconciler.Controller.Aws;

/// <summary>The protocol facts of one AWS JSON-protocol service, taken from its API model.</summary>
/// <param name="Name">The service name used in span names and <c>rpc.service</c>, e.g. <c>CodeBuild</c>.</param>
/// <param name="EndpointId">The SDK service id in endpoint variables: <c>AWS_ENDPOINT_URL_&lt;EndpointId&gt;</c>.</param>
/// <param name="EndpointPrefix">The host prefix of the regional endpoint.</param>
/// <param name="SigningName">The SigV4 service name of the credential scope.</param>
/// <param name="TargetPrefix">The first half of <c>X-Amz-Target</c>: the service shape name.</param>
/// <param name="JsonVersion">AWS JSON protocol version, <c>1.0</c> or <c>1.1</c>.</param>
public sealed record AwsService(string Name, string EndpointId, string EndpointPrefix, string SigningName, string TargetPrefix, string JsonVersion)
{
    public static readonly AwsService CodeBuild = new("CodeBuild", "CODEBUILD", "codebuild", "codebuild", "CodeBuild_20161006", "1.1");

    public static readonly AwsService CodePipeline = new("CodePipeline", "CODEPIPELINE", "codepipeline", "codepipeline", "CodePipeline_20150709", "1.1");

    public static readonly AwsService DynamoDbStreams = new("DynamoDBStreams", "DYNAMODB_STREAMS", "streams.dynamodb", "dynamodb", "DynamoDBStreams_20120810", "1.0");

    public static readonly AwsService Ssm = new("SSM", "SSM", "ssm", "ssm", "AmazonSSM", "1.1");

    public static readonly AwsService SecretsManager = new("SecretsManager", "SECRETS_MANAGER", "secretsmanager", "secretsmanager", "secretsmanager", "1.1");

    /// <summary>The services this client layer speaks to.</summary>
    public static IReadOnlyList<AwsService> All { get; } = [CodeBuild, CodePipeline, DynamoDbStreams, Ssm, SecretsManager];

    public string ContentType => $"application/x-amz-json-{JsonVersion}";
}
