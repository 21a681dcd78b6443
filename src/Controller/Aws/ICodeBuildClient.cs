using Reconciler.Model.Aws;

namespace Reconciler.Controller.Aws;

/// <summary>The CodeBuild operations the controller calls, over the AWS JSON 1.1 protocol.</summary>
public interface ICodeBuildClient
{
    /// <summary>Up to 100 names per call; names that do not exist come back in <see cref="BatchGetProjectsResult.ProjectsNotFound"/>.</summary>
    Task<BatchGetProjectsResult> BatchGetProjectsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    Task<Page<string>> ListProjectsAsync(string? nextToken, CancellationToken cancellationToken);

    Task<CodeBuildProject> CreateProjectAsync(CodeBuildProject project, CancellationToken cancellationToken);

    Task<CodeBuildProject> UpdateProjectAsync(CodeBuildProject project, CancellationToken cancellationToken);

    Task DeleteProjectAsync(string name, CancellationToken cancellationToken);

    Task<ProjectWebhook> CreateWebhookAsync(WebhookRequest request, CancellationToken cancellationToken);

    Task<ProjectWebhook> UpdateWebhookAsync(WebhookRequest request, CancellationToken cancellationToken);

    Task DeleteWebhookAsync(string projectName, CancellationToken cancellationToken);

    Task<BatchGetBuildsResult> BatchGetBuildsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    Task<Page<string>> ListBuildsForProjectAsync(string projectName, string? nextToken, CancellationToken cancellationToken);
}

/// <summary>One page of a paged list; <see cref="NextToken"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>The answer of BatchGetProjects.</summary>
public sealed record BatchGetProjectsResult(IReadOnlyList<CodeBuildProject> Projects, IReadOnlyList<string> ProjectsNotFound);

/// <summary>The answer of BatchGetBuilds.</summary>
public sealed record BatchGetBuildsResult(IReadOnlyList<CodeBuildBuild> Builds, IReadOnlyList<string> BuildsNotFound);

/// <summary>A build as BatchGetBuilds returns it, limited to what status reporting needs.</summary>
public sealed record CodeBuildBuild
{
    public string Id { get; init; } = "";
    public string? Arn { get; init; }
    public string? ProjectName { get; init; }
    public string? BuildStatus { get; init; }
    public string? CurrentPhase { get; init; }
    public string? SourceVersion { get; init; }
    public string? ResolvedSourceVersion { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}
