namespace Reconciler.Model.Aws.ApiModels;

/// <summary>The API models this product speaks, embedded from the repository's copy (aws-models/, Apache-2.0).</summary>
public static class ApiModels
{
    private static readonly Lazy<ApiModel> CodeBuildModel = new(() => Load("codebuild-2016-10-06.json"));
    private static readonly Lazy<ApiModel> CodePipelineModel = new(() => Load("codepipeline-2015-07-09.json"));
    private static readonly Lazy<ApiModel> SsmModel = new(() => Load("ssm-2014-11-06.json"));
    private static readonly Lazy<ApiModel> SecretsManagerModel = new(() => Load("secrets-manager-2017-10-17.json"));
    private static readonly Lazy<ApiModel> DynamoDbStreamsModel = new(() => Load("dynamodb-streams-2012-08-10.json"));

    public static ApiModel CodeBuild => CodeBuildModel.Value;

    public static ApiModel CodePipeline => CodePipelineModel.Value;

    public static ApiModel Ssm => SsmModel.Value;

    public static ApiModel SecretsManager => SecretsManagerModel.Value;

    public static ApiModel DynamoDbStreams => DynamoDbStreamsModel.Value;

    private static ApiModel Load(string file)
    {
        using var stream = typeof(ApiModels).Assembly.GetManifestResourceStream($"aws-models/{file}")
            ?? throw new InvalidOperationException($"embedded API model {file} is missing");
        using var reader = new StreamReader(stream);
        return ApiModel.Parse(reader.ReadToEnd());
    }
}
