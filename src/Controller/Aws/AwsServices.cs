namespace Reconciler.Controller.Aws;

/// <summary>The AWS service clients the controller's parts share (built once by the composition root's caller).</summary>
/// <param name="Ssm">Null where the endpoint has no Parameter Store; the token check is then skipped.</param>
/// <param name="SecretsManager">Null where the endpoint has no Secrets Manager; a token secret is then taken as present.</param>
public sealed record AwsServices(ICodeBuildClient CodeBuild, ICodePipelineClient CodePipeline, ISsmClient? Ssm, ISecretsManagerClient? SecretsManager = null);
