using Reconciler.Model.Documents;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>Small valid documents for rendering tests, varied with <c>with</c>.</summary>
internal static class Specs
{
    public static StageSpec PullRequest(string name, string baseBranch = "main") =>
        new() { Name = name, Stack = "acme/app/dev", Operation = StageOperations.Preview, On = new TriggerSpec { PullRequest = new PullRequestTrigger { BaseBranch = baseBranch } } };

    public static StageSpec Push(string name, string branch = "main", string operation = StageOperations.Up, bool approval = false) =>
        new() { Name = name, Stack = "acme/app/staging", Operation = operation, Approval = approval, On = new TriggerSpec { Push = new PushTrigger { Branch = branch } } };

    public static StageSpec Tag(string name, string tag = "production", bool approval = false) =>
        new() { Name = name, Stack = "acme/app/production", Operation = StageOperations.Up, Approval = approval, On = new TriggerSpec { Tag = tag } };

    public static PulumiPipeline Document(IReadOnlyList<StageSpec> stages, bool pipeline = false, string? uid = null) => new()
    {
        Metadata = new ObjectMeta { Name = "app", Uid = uid },
        Spec = new PipelineSpec
        {
            Source = new SourceSpec
            {
                Type = "GITHUB",
                Location = "https://github.com/acme/app.git",
                ConnectionArn = "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc",
            },
            Pulumi = new PulumiSettings { WorkDir = "infra", CliVersion = "3.140.0", AccessTokenParameter = "/pulumi/access-token" },
            Build = new BuildSettings { ServiceRoleArn = "arn:aws:iam::111122223333:role/build" },
            Stages = stages,
            Pipeline = pipeline
                ? new PipelineSettings { Enabled = true, RoleArn = "arn:aws:iam::111122223333:role/pipeline", ArtifactBucket = "acme-artifacts" }
                : null,
            Tags = new Dictionary<string, string> { ["team"] = "web", ["cost-center"] = "42" },
        },
    };
}
