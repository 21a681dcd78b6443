using Reconciler.Model.Aws;

namespace Reconciler.Controller.Aws;

// Request and response envelopes of the CodeBuild operations (AWS JSON 1.1, camelCase members as in
// codebuild-2016-10-06). Response lists are nullable: the service may omit them or send null.

internal sealed record ProjectNamesRequest(IReadOnlyList<string> Names);

internal sealed record BatchGetProjectsResponse(IReadOnlyList<CodeBuildProject>? Projects, IReadOnlyList<string>? ProjectsNotFound);

internal sealed record ListProjectsRequest(string? NextToken);

internal sealed record ListProjectsResponse(IReadOnlyList<string>? Projects, string? NextToken);

/// <summary>The CreateProject/UpdateProject input: a project without its read-only members (arn, created, lastModified, webhook).</summary>
internal sealed record ProjectRequest
{
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public ProjectSource? Source { get; init; }
    public string? SourceVersion { get; init; }
    public ProjectArtifacts? Artifacts { get; init; }
    public ProjectEnvironment? Environment { get; init; }
    public string? ServiceRole { get; init; }
    public int? TimeoutInMinutes { get; init; }
    public int? QueuedTimeoutInMinutes { get; init; }
    public IReadOnlyList<AwsTag>? Tags { get; init; }
    public bool? BadgeEnabled { get; init; }
    public LogsConfig? LogsConfig { get; init; }
    public int? ConcurrentBuildLimit { get; init; }

    public static ProjectRequest From(CodeBuildProject project) => new()
    {
        Name = project.Name,
        Description = project.Description,
        Source = project.Source,
        SourceVersion = project.SourceVersion,
        Artifacts = project.Artifacts,
        Environment = project.Environment,
        ServiceRole = project.ServiceRole,
        TimeoutInMinutes = project.TimeoutInMinutes,
        QueuedTimeoutInMinutes = project.QueuedTimeoutInMinutes,
        Tags = project.Tags,
        BadgeEnabled = project.BadgeEnabled,
        LogsConfig = project.LogsConfig,
        ConcurrentBuildLimit = project.ConcurrentBuildLimit,
    };
}

internal sealed record ProjectResponse(CodeBuildProject? Project);

internal sealed record DeleteProjectRequest(string Name);

/// <summary>The CreateWebhook input, which has no <c>rotateSecret</c>.</summary>
internal sealed record CreateWebhookRequest(string ProjectName, string? BranchFilter, IReadOnlyList<IReadOnlyList<WebhookFilter>>? FilterGroups, string? BuildType);

internal sealed record WebhookResponse(ProjectWebhook? Webhook);

internal sealed record WebhookProjectRequest(string ProjectName);

internal sealed record BatchGetBuildsRequest(IReadOnlyList<string> Ids);

internal sealed record BatchGetBuildsResponse(IReadOnlyList<CodeBuildBuild>? Builds, IReadOnlyList<string>? BuildsNotFound);

internal sealed record ListBuildsForProjectRequest(string ProjectName, string? NextToken);

internal sealed record ListBuildsForProjectResponse(IReadOnlyList<string>? Ids, string? NextToken);

/// <summary>An operation whose output carries nothing the controller reads.</summary>
internal sealed record EmptyResponse;
