using Reconciler.Model.Aws;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Tests.Planning;

/// <summary>Hand-built desired and live resources, shaped like the renderer's and the services' output.</summary>
internal static class PlanningFixtures
{
    public static readonly OwnershipIdentity Owner = new("website", "uid-1");

    public static CodeBuildProject Project(string stage, string computeType = "BUILD_GENERAL1_SMALL") => new()
    {
        Name = $"website-{stage}",
        Description = $"Pulumi {stage} for website",
        Source = new ProjectSource { Type = "GITHUB", Location = "https://github.com/acme/website.git", Buildspec = "version: 0.2\n" },
        Artifacts = new ProjectArtifacts { Type = "NO_ARTIFACTS" },
        Environment = new ProjectEnvironment
        {
            Type = "LINUX_CONTAINER",
            Image = "aws/codebuild/standard:7.0",
            ComputeType = computeType,
            EnvironmentVariables =
            [
                new BuildEnvironmentVariable { Name = "AWS_REGION", Value = "us-east-1" },
                new BuildEnvironmentVariable { Name = "PULUMI_ACCESS_TOKEN", Value = "/pulumi/access-token", Type = "PARAMETER_STORE" },
            ],
        },
        ServiceRole = "arn:aws:iam::111122223333:role/pulumi-codebuild",
        TimeoutInMinutes = 60,
        Tags = [.. Owner.Tags, new AwsTag { Key = "cost-center", Value = "web" }],
    };

    public static WebhookRequest Webhook(string stage, string pattern = "^refs/heads/main$") => new()
    {
        ProjectName = $"website-{stage}",
        BuildType = "BUILD",
        FilterGroups =
        [
            [new WebhookFilter { Type = "EVENT", Pattern = "PUSH" }, new WebhookFilter { Type = "HEAD_REF", Pattern = pattern }],
            [new WebhookFilter { Type = "EVENT", Pattern = "PULL_REQUEST_CREATED" }, new WebhookFilter { Type = "BASE_REF", Pattern = pattern }],
        ],
    };

    /// <summary>A project as BatchGetProjects returns it: the request plus everything the service fills in.</summary>
    public static CodeBuildProject AsLive(CodeBuildProject project, WebhookRequest? webhook = null) => project with
    {
        Arn = $"arn:aws:codebuild:us-east-1:111122223333:project/{project.Name}",
        Created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        LastModified = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero),
        QueuedTimeoutInMinutes = 480,
        BadgeEnabled = false,
        Source = project.Source with { InsecureSsl = false, GitCloneDepth = 1 },
        Environment = project.Environment with
        {
            PrivilegedMode = false,
            ImagePullCredentialsType = "CODEBUILD",
            EnvironmentVariables = project.Environment.EnvironmentVariables?
                .Select(v => v with { Type = v.Type ?? "PLAINTEXT" }).ToList(),
        },
        LogsConfig = new LogsConfig { CloudWatchLogs = new CloudWatchLogsConfig { Status = "ENABLED" } },
        Webhook = webhook is null ? null : new ProjectWebhook
        {
            Url = $"https://codebuild.us-east-1.amazonaws.com/webhooks/{project.Name}",
            PayloadUrl = "https://example.invalid/payload",
            FilterGroups = webhook.FilterGroups,
            BuildType = webhook.BuildType,
            LastModifiedSecret = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        },
    };

    public static DesiredPipeline Pipeline(params string[] stages) => new()
    {
        Declaration = new PipelineDeclaration
        {
            Name = "website",
            RoleArn = "arn:aws:iam::111122223333:role/pulumi-codepipeline",
            ArtifactStore = new ArtifactStore { Location = "acme-artifacts" },
            PipelineType = "V2",
            ExecutionMode = "QUEUED",
            Stages =
            [
                new StageDeclaration
                {
                    Name = "Source",
                    Actions = [new ActionDeclaration
                    {
                        Name = "Source",
                        ActionTypeId = new ActionTypeId { Category = "Source", Owner = "AWS", Provider = "CodeStarSourceConnection" },
                        Configuration = new Dictionary<string, string> { ["FullRepositoryId"] = "acme/website", ["BranchName"] = "main" },
                        OutputArtifacts = [new ArtifactRef { Name = "source" }],
                    }],
                },
                .. stages.Select(stage => new StageDeclaration
                {
                    Name = stage,
                    Actions = [new ActionDeclaration
                    {
                        Name = stage,
                        ActionTypeId = new ActionTypeId { Category = "Build", Owner = "AWS", Provider = "CodeBuild" },
                        Configuration = new Dictionary<string, string> { ["ProjectName"] = $"website-{stage}" },
                        InputArtifacts = [new ArtifactRef { Name = "source" }],
                    }],
                }),
            ],
        },
        Tags = [.. Owner.Tags, new AwsTag { Key = "cost-center", Value = "web" }],
    };

    public static LivePipeline AsLive(DesiredPipeline pipeline, int version = 1) => new(
        pipeline.Declaration with { Version = version },
        new PipelineMetadata { PipelineArn = $"arn:aws:codepipeline:us-east-1:111122223333:{pipeline.Declaration.Name}" },
        [.. pipeline.Tags, new AwsTag { Key = "aws:cloudformation:stack-name", Value = "x" }]);

    /// <summary>preview (pull requests, webhook), staging (push, webhook), production (tag, webhook).</summary>
    public static DesiredState Desired(bool withPipeline = false) => new()
    {
        SpecName = "website",
        Projects =
        [
            new DesiredProject { Stage = "preview", Project = Project("preview"), Webhook = Webhook("preview") },
            new DesiredProject { Stage = "staging", Project = Project("staging"), Webhook = withPipeline ? null : Webhook("staging") },
            new DesiredProject { Stage = "production", Project = Project("production"), Webhook = withPipeline ? null : Webhook("production", "^refs/tags/production$") },
        ],
        Pipeline = withPipeline ? Pipeline("staging", "production") : null,
    };

    /// <summary>The live state that exactly matches <see cref="Desired"/>.</summary>
    public static LiveState Live(DesiredState desired) => new()
    {
        Projects = desired.Projects.ToDictionary(p => p.Project.Name, p => AsLive(p.Project, p.Webhook)),
        Pipelines = desired.Pipeline is { } pipeline
            ? new Dictionary<string, LivePipeline> { [pipeline.Declaration.Name] = AsLive(pipeline) }
            : new Dictionary<string, LivePipeline>(),
    };

    public static LiveState WithProject(this LiveState live, CodeBuildProject project) => live with
    {
        Projects = new Dictionary<string, CodeBuildProject>(live.Projects) { [project.Name] = project },
    };

    public static LiveState WithPipeline(this LiveState live, LivePipeline pipeline) => live with
    {
        Pipelines = new Dictionary<string, LivePipeline>(live.Pipelines) { [pipeline.Declaration.Name] = pipeline },
    };
}
