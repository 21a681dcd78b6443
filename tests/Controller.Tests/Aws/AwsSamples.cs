using Reconciler.Model.Aws;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>Resources shaped like the ones the renderer produces, for driving the clients.</summary>
internal static class AwsSamples
{
    public const string ConnectionArn = "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc";

    public static CodeBuildProject Project(string name = "website-staging") => new()
    {
        Name = name,
        Description = "Pulumi up of acme/website/staging",
        Source = new ProjectSource
        {
            Type = "GITHUB",
            Location = "https://github.com/acme/website.git",
            GitCloneDepth = 1,
            Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - pulumi up --yes\n",
            ReportBuildStatus = true,
            Auth = new SourceAuth { Type = "CODECONNECTIONS", Resource = ConnectionArn },
        },
        Artifacts = new ProjectArtifacts { Type = "NO_ARTIFACTS" },
        Environment = new ProjectEnvironment
        {
            Type = "LINUX_CONTAINER",
            Image = "aws/codebuild/standard:7.0",
            ComputeType = "BUILD_GENERAL1_SMALL",
            EnvironmentVariables =
            [
                new BuildEnvironmentVariable { Name = "PULUMI_ACCESS_TOKEN", Value = "/pulumi/access-token", Type = "PARAMETER_STORE" },
                new BuildEnvironmentVariable { Name = "AWS_REGION", Value = "us-east-1", Type = "PLAINTEXT" },
            ],
            PrivilegedMode = false,
            ImagePullCredentialsType = "CODEBUILD",
        },
        ServiceRole = "arn:aws:iam::111122223333:role/pulumi-codebuild",
        TimeoutInMinutes = 60,
        QueuedTimeoutInMinutes = 480,
        Tags = [new AwsTag { Key = OwnershipTags.ManagedBy, Value = OwnershipTags.ManagedByValue }, new AwsTag { Key = OwnershipTags.Spec, Value = "website" }],
        LogsConfig = new LogsConfig { CloudWatchLogs = new CloudWatchLogsConfig { Status = "ENABLED", GroupName = "/reconciler/website" } },
        // Read-only members the service returns; they must never be sent back.
        Arn = $"arn:aws:codebuild:us-east-1:111122223333:project/{name}",
        Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        LastModified = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100),
        Webhook = new ProjectWebhook { Url = "https://api.github.com/hook" },
    };

    public static WebhookRequest Webhook(string projectName = "website-preview") => new()
    {
        ProjectName = projectName,
        BuildType = "BUILD",
        FilterGroups =
        [
            [
                new WebhookFilter { Type = "EVENT", Pattern = "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED" },
                new WebhookFilter { Type = "BASE_REF", Pattern = "^refs/heads/main$" },
            ],
        ],
        RotateSecret = false,
    };

    public static PipelineDeclaration Pipeline(string name = "website") => new()
    {
        Name = name,
        RoleArn = "arn:aws:iam::111122223333:role/pulumi-pipeline",
        ArtifactStore = new ArtifactStore { Type = "S3", Location = "acme-artifacts" },
        PipelineType = "V2",
        ExecutionMode = "QUEUED",
        Stages =
        [
            new StageDeclaration
            {
                Name = "Source",
                Actions =
                [
                    new ActionDeclaration
                    {
                        Name = "Source",
                        ActionTypeId = new ActionTypeId { Category = "Source", Owner = "AWS", Provider = "CodeStarSourceConnection", Version = "1" },
                        Configuration = new Dictionary<string, string> { ["ConnectionArn"] = ConnectionArn, ["FullRepositoryId"] = "acme/website", ["BranchName"] = "main" },
                        OutputArtifacts = [new ArtifactRef { Name = "SourceOutput" }],
                        RunOrder = 1,
                    },
                ],
            },
            new StageDeclaration
            {
                Name = "staging",
                Actions =
                [
                    new ActionDeclaration
                    {
                        Name = "staging",
                        ActionTypeId = new ActionTypeId { Category = "Build", Owner = "AWS", Provider = "CodeBuild", Version = "1" },
                        Configuration = new Dictionary<string, string> { ["ProjectName"] = "website-staging" },
                        InputArtifacts = [new ArtifactRef { Name = "SourceOutput" }],
                        RunOrder = 1,
                    },
                ],
            },
        ],
        Triggers =
        [
            new PipelineTriggerDeclaration
            {
                ProviderType = "CodeStarSourceConnection",
                GitConfiguration = new GitConfiguration
                {
                    SourceActionName = "Source",
                    Push = [new GitPushFilter { Branches = new GitFilterCriteria { Includes = ["main"] } }, new GitPushFilter { Tags = new GitFilterCriteria { Includes = ["production"] } }],
                },
            },
        ],
    };

    public const string PipelineArn = "arn:aws:codepipeline:us-east-1:111122223333:website";
    public const string StreamArn = "arn:aws:dynamodb:us-east-1:111122223333:table/specs/stream/2024-01-01T00:00:00.000";
}
