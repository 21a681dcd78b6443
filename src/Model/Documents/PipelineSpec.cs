namespace Reconciler.Model.Documents;

/// <summary>What the owners of a pipeline declare: source, Pulumi settings, build settings and stages.</summary>
public sealed record PipelineSpec
{
    public SourceSpec Source { get; set; } = new();
    public PulumiSettings Pulumi { get; set; } = new();
    public BuildSettings Build { get; set; } = new();
    public IReadOnlyList<StageSpec> Stages { get; set; } = [];
    public PipelineSettings? Pipeline { get; set; }
    public string DriftPolicy { get; set; } = DriftPolicies.Correct;
    public string DeletionPolicy { get; set; } = DeletionPolicies.Delete;
    public IReadOnlyDictionary<string, string>? Tags { get; set; }
}

/// <summary>Where the Pulumi program's repository lives.</summary>
public sealed record SourceSpec
{
    public string Type { get; set; } = "GITHUB";
    public string Location { get; set; } = "";
    public string? ConnectionArn { get; set; }
}

/// <summary>How the Pulumi CLI runs inside the build.</summary>
public sealed record PulumiSettings
{
    public string? WorkDir { get; set; }
    public string CliVersion { get; set; } = "";
    public string AccessTokenParameter { get; set; } = "";
    public string? EscEnvironment { get; set; }
}

/// <summary>The CodeBuild environment every stage's project runs in.</summary>
public sealed record BuildSettings
{
    public string Image { get; set; } = "aws/codebuild/standard:7.0";
    public string ComputeType { get; set; } = "BUILD_GENERAL1_SMALL";
    public string EnvironmentType { get; set; } = "LINUX_CONTAINER";
    public string ServiceRoleArn { get; set; } = "";
    public int TimeoutMinutes { get; set; } = 60;
    public IReadOnlyList<EnvironmentVariableSpec>? Environment { get; set; }
}

/// <summary>One build environment variable; secrets are references (<c>PARAMETER_STORE</c>, <c>SECRETS_MANAGER</c>), never values.</summary>
public sealed record EnvironmentVariableSpec
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public string? Type { get; set; }
}

/// <summary>One deployment stage: a stack, an operation and the git event that runs it.</summary>
public sealed record StageSpec
{
    public string Name { get; set; } = "";
    public string Stack { get; set; } = "";
    public string Operation { get; set; } = StageOperations.Preview;
    public TriggerSpec On { get; set; } = new();
    public bool Approval { get; set; }
}

/// <summary>The git event that runs a stage; exactly one member is set.</summary>
public sealed record TriggerSpec
{
    public PullRequestTrigger? PullRequest { get; set; }
    public PushTrigger? Push { get; set; }
    public string? Tag { get; set; }
}

/// <summary>Pull requests opened or updated against a base branch.</summary>
public sealed record PullRequestTrigger
{
    public string BaseBranch { get; set; } = "";
}

/// <summary>Pushes to a branch.</summary>
public sealed record PushTrigger
{
    public string Branch { get; set; } = "";
}

/// <summary>The optional CodePipeline V2 pipeline that chains the push and tag stages.</summary>
public sealed record PipelineSettings
{
    public bool Enabled { get; set; }
    public string? RoleArn { get; set; }
    public string? ArtifactBucket { get; set; }
}

/// <summary>Allowed values of <see cref="StageSpec.Operation"/>.</summary>
public static class StageOperations
{
    public const string Preview = "preview";
    public const string Up = "up";
    public const string Refresh = "refresh";
    public static readonly IReadOnlyList<string> All = [Preview, Up, Refresh];
}

/// <summary>Allowed values of <see cref="PipelineSpec.DriftPolicy"/>.</summary>
public static class DriftPolicies
{
    public const string Correct = "Correct";
    public const string Detect = "Detect";
    public static readonly IReadOnlyList<string> All = [Correct, Detect];
}

/// <summary>Allowed values of <see cref="PipelineSpec.DeletionPolicy"/>.</summary>
public static class DeletionPolicies
{
    public const string Delete = "Delete";
    public const string Retain = "Retain";
    public static readonly IReadOnlyList<string> All = [Delete, Retain];
}
