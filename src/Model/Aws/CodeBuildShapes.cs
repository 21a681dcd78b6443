namespace Reconciler.Model.Aws;

// Wire shapes of the CodeBuild API (codebuild-2016-10-06), limited to the members the controller
// renders or reads. Member names are the API's; nulls are omitted on the wire. A webhook's
// `secret` is deliberately absent: it is never deserialized, so it can never be logged.

/// <summary>A CodeBuild project: the CreateProject/UpdateProject body, and what BatchGetProjects returns.</summary>
public sealed record CodeBuildProject
{
    public string Name { get; init; } = "";
    public string? Arn { get; init; }
    public string? Description { get; init; }
    public ProjectSource Source { get; init; } = new();
    public string? SourceVersion { get; init; }
    public ProjectArtifacts Artifacts { get; init; } = new();
    public ProjectEnvironment Environment { get; init; } = new();
    public string ServiceRole { get; init; } = "";
    public int? TimeoutInMinutes { get; init; }
    public int? QueuedTimeoutInMinutes { get; init; }
    public IReadOnlyList<AwsTag>? Tags { get; init; }
    public bool? BadgeEnabled { get; init; }
    public LogsConfig? LogsConfig { get; init; }
    public int? ConcurrentBuildLimit { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? LastModified { get; init; }
    public ProjectWebhook? Webhook { get; init; }

    /// <summary>
    /// The project as an UpdateProject body: without what the service sets (arn, created, lastModified) and without
    /// the webhook, which is a resource of its own. The one place a live project is made writable again.
    /// </summary>
    public CodeBuildProject WithoutServerFields() => this with { Arn = null, Created = null, LastModified = null, Webhook = null };
}

/// <summary>Where a project's source comes from, with its inline buildspec.</summary>
public sealed record ProjectSource
{
    public string Type { get; init; } = "";
    public string? Location { get; init; }
    public int? GitCloneDepth { get; init; }
    public string? Buildspec { get; init; }
    public bool? ReportBuildStatus { get; init; }
    public bool? InsecureSsl { get; init; }
    public SourceAuth? Auth { get; init; }
}

/// <summary>Source credentials by reference (a CodeStar connection ARN), never a token.</summary>
public sealed record SourceAuth
{
    public string Type { get; init; } = "";
    public string? Resource { get; init; }
}

/// <summary>Build output settings.</summary>
public sealed record ProjectArtifacts
{
    public string Type { get; init; } = "NO_ARTIFACTS";
    public string? Location { get; init; }
    public string? Name { get; init; }
    public string? Packaging { get; init; }
}

/// <summary>The build container.</summary>
public sealed record ProjectEnvironment
{
    public string Type { get; init; } = "";
    public string Image { get; init; } = "";
    public string ComputeType { get; init; } = "";
    public IReadOnlyList<BuildEnvironmentVariable>? EnvironmentVariables { get; init; }
    public bool? PrivilegedMode { get; init; }
    public string? ImagePullCredentialsType { get; init; }
}

/// <summary>A build environment variable; for PARAMETER_STORE and SECRETS_MANAGER the value is a reference.</summary>
public sealed record BuildEnvironmentVariable
{
    public string Name { get; init; } = "";
    public string Value { get; init; } = "";
    public string? Type { get; init; }
}

/// <summary>A resource tag as CodeBuild and CodePipeline spell it.</summary>
public sealed record AwsTag
{
    public string Key { get; init; } = "";
    public string Value { get; init; } = "";
}

/// <summary>Build log destinations.</summary>
public sealed record LogsConfig
{
    public CloudWatchLogsConfig? CloudWatchLogs { get; init; }
}

/// <summary>CloudWatch Logs settings of a project.</summary>
public sealed record CloudWatchLogsConfig
{
    public string Status { get; init; } = "ENABLED";
    public string? GroupName { get; init; }
    public string? StreamName { get; init; }
}

/// <summary>A project's webhook as BatchGetProjects returns it (its secret is never read).</summary>
public sealed record ProjectWebhook
{
    public string? Url { get; init; }
    public string? PayloadUrl { get; init; }
    public string? BranchFilter { get; init; }
    public IReadOnlyList<IReadOnlyList<WebhookFilter>>? FilterGroups { get; init; }
    public string? BuildType { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? LastModifiedSecret { get; init; }
}

/// <summary>One webhook filter; a filter group matches when all its filters do.</summary>
public sealed record WebhookFilter
{
    public string Type { get; init; } = "";
    public string Pattern { get; init; } = "";
    public bool? ExcludeMatchedPattern { get; init; }
}

/// <summary>The CreateWebhook/UpdateWebhook body.</summary>
public sealed record WebhookRequest
{
    public string ProjectName { get; init; } = "";
    public string? BranchFilter { get; init; }
    public IReadOnlyList<IReadOnlyList<WebhookFilter>>? FilterGroups { get; init; }
    public string? BuildType { get; init; }
    public bool? RotateSecret { get; init; }
}
