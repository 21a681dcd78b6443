namespace Reconciler.Model.Documents;

// Absent fields: the System.Text.Json source generator passes null (or 0) to init-only properties instead of
// keeping their initializers (dotnet/runtime#84484), so the init accessors put the defaults back.
/// <summary>What the owners of a pipeline declare: source, Pulumi settings, build settings and stages.</summary>
public sealed record PipelineSpec
{
    /// <summary>The PulumiPipelineTemplate this spec states differences from; absent from an effective spec.</summary>
    public string? Template { get; init; }

    public SourceSpec Source { get; init => field = value ?? new(); } = new();
    public PulumiSettings Pulumi { get; init => field = value ?? new(); } = new();
    public BuildSettings Build { get; init => field = value ?? new(); } = new();
    public IReadOnlyList<StageSpec> Stages { get; init => field = value ?? []; } = [];
    public PipelineSettings? Pipeline { get; init; }
    public string DriftPolicy { get; init => field = value ?? DriftPolicies.Correct; } = DriftPolicies.Correct;
    public string DeletionPolicy { get; init => field = value ?? DeletionPolicies.Delete; } = DeletionPolicies.Delete;

    /// <summary>The converge engine for this spec (<see cref="SpecEngines"/>); null: the controller's <c>--engine</c>.</summary>
    public string? Engine { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>Where the Pulumi program's repository lives.</summary>
public sealed record SourceSpec
{
    public string Type { get; init => field = value ?? "GITHUB"; } = "GITHUB";
    public string Location { get; init => field = value ?? ""; } = "";
    public string? ConnectionArn { get; init; }
}

/// <summary>How the Pulumi CLI runs inside the build.</summary>
public sealed record PulumiSettings
{
    public string? WorkDir { get; init; }
    public string CliVersion { get; init => field = value ?? ""; } = "";
    /// <summary>The short form of <c>accessToken: { parameter: ... }</c>; kept for existing documents.</summary>
    public string AccessTokenParameter { get; init => field = value ?? ""; } = "";
    public AccessTokenSpec? AccessToken { get; init; }
    public string? EscEnvironment { get; init; }

    /// <summary>The token reference in effect: <see cref="AccessToken"/>, else the short form, else none.</summary>
    public AccessTokenSpec? Token() => AccessToken
        ?? (string.IsNullOrEmpty(AccessTokenParameter) ? null : new AccessTokenSpec { Parameter = AccessTokenParameter });
}

/// <summary>The CodeBuild environment every stage's project runs in.</summary>
public sealed record BuildSettings
{
    public string Image { get; init => field = value ?? "aws/codebuild/standard:7.0"; } = "aws/codebuild/standard:7.0";
    public string ComputeType { get; init => field = value ?? "BUILD_GENERAL1_SMALL"; } = "BUILD_GENERAL1_SMALL";
    public string EnvironmentType { get; init => field = value ?? "LINUX_CONTAINER"; } = "LINUX_CONTAINER";
    public string ServiceRoleArn { get; init => field = value ?? ""; } = "";
    public int TimeoutMinutes { get; init => field = value == 0 ? 60 : value; } = 60;
    public IReadOnlyList<EnvironmentVariableSpec>? Environment { get; init; }
}

/// <summary>One build environment variable; secrets are references (<c>PARAMETER_STORE</c>, <c>SECRETS_MANAGER</c>), never values.</summary>
public sealed record EnvironmentVariableSpec
{
    public string Name { get; init => field = value ?? ""; } = "";
    public string Value { get; init => field = value ?? ""; } = "";
    public string? Type { get; init; }
}

/// <summary>One deployment stage: a stack, an operation and the git event that runs it.</summary>
public sealed record StageSpec
{
    public string Name { get; init => field = value ?? ""; } = "";
    public string Stack { get; init => field = value ?? ""; } = "";
    public string Operation { get; init => field = value ?? StageOperations.Preview; } = StageOperations.Preview;
    public TriggerSpec On { get; init => field = value ?? new(); } = new();
    public bool Approval { get; init; }

    /// <summary>On a pull-request stage: deploy an ephemeral stack per pull request instead of previewing <see cref="Stack"/>.</summary>
    public ReviewStackSpec? ReviewStack { get; init; }

    /// <summary>In a spec that names a template: drop the inherited stage of this name. Absent from an effective spec.</summary>
    public bool? Remove { get; init; }
}

/// <summary>
/// An ephemeral stack per pull request: <c>&lt;org&gt;/&lt;project&gt;/&lt;prefix&gt;&lt;number&gt;</c>, created with the
/// configuration of the stage's stack (the base), updated on every push to the pull request, destroyed and removed
/// when it is merged or closed.
/// </summary>
public sealed record ReviewStackSpec
{
    public string Prefix { get; init => field = value ?? "pr-"; } = "pr-";
}

/// <summary>The git event that runs a stage; exactly one member is set.</summary>
public sealed record TriggerSpec
{
    public PullRequestTrigger? PullRequest { get; init; }
    public PushTrigger? Push { get; init; }
    public string? Tag { get; init; }
}

/// <summary>Pull requests opened or updated against a base branch.</summary>
public sealed record PullRequestTrigger
{
    public string BaseBranch { get; init => field = value ?? ""; } = "";
}

/// <summary>Pushes to a branch.</summary>
public sealed record PushTrigger
{
    public string Branch { get; init => field = value ?? ""; } = "";
}

/// <summary>The optional CodePipeline V2 pipeline that chains the push and tag stages.</summary>
public sealed record PipelineSettings
{
    public bool Enabled { get; init; }
    public string? RoleArn { get; init; }
    public string? ArtifactBucket { get; init; }
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

/// <summary>Allowed values of <see cref="PipelineSpec.Engine"/>: the converge engines the controller has.</summary>
public static class SpecEngines
{
    public const string Direct = "direct";
    public const string Pulumi = "pulumi";
    public static readonly IReadOnlyList<string> All = [Direct, Pulumi];
}
