using Reconciler.Model.Aws;

namespace Reconciler.Controller.Aws;

/// <summary>The CodeBuild operations over AWS JSON 1.1.</summary>
public sealed class CodeBuildClient(AwsJsonClient client) : ICodeBuildClient
{
    /// <summary>The most names or ids BatchGetProjects and BatchGetBuilds take in one call.</summary>
    public const int MaxBatchSize = 100;

    private static AwsWireJsonContext Json => AwsWireJsonContext.Default;

    public async Task<BatchGetProjectsResult> BatchGetProjectsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        CheckBatch(names, nameof(names));
        if (names.Count == 0)
        {
            return new BatchGetProjectsResult([], []);
        }
        var response = await client.SendAsync("BatchGetProjects", new ProjectNamesRequest(names), Json.ProjectNamesRequest, Json.BatchGetProjectsResponse, cancellationToken).ConfigureAwait(false);
        return new BatchGetProjectsResult(response.Projects ?? [], response.ProjectsNotFound ?? []);
    }

    public async Task<Page<string>> ListProjectsAsync(string? nextToken, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("ListProjects", new ListProjectsRequest(nextToken), Json.ListProjectsRequest, Json.ListProjectsResponse, cancellationToken).ConfigureAwait(false);
        return new Page<string>(response.Projects ?? [], NullIfEmpty(response.NextToken));
    }

    public Task<CodeBuildProject> CreateProjectAsync(CodeBuildProject project, CancellationToken cancellationToken) =>
        SendProjectAsync("CreateProject", project, cancellationToken);

    public Task<CodeBuildProject> UpdateProjectAsync(CodeBuildProject project, CancellationToken cancellationToken) =>
        SendProjectAsync("UpdateProject", project, cancellationToken);

    public Task DeleteProjectAsync(string name, CancellationToken cancellationToken) =>
        client.SendAsync("DeleteProject", new DeleteProjectRequest(name), Json.DeleteProjectRequest, Json.EmptyResponse, cancellationToken);

    public async Task<ProjectWebhook> CreateWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var body = new CreateWebhookRequest(request.ProjectName, request.BranchFilter, request.FilterGroups, request.BuildType);
        var response = await client.SendAsync("CreateWebhook", body, Json.CreateWebhookRequest, Json.WebhookResponse, cancellationToken).ConfigureAwait(false);
        return response.Webhook ?? new ProjectWebhook();
    }

    public async Task<ProjectWebhook> UpdateWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("UpdateWebhook", request, Json.WebhookRequest, Json.WebhookResponse, cancellationToken).ConfigureAwait(false);
        return response.Webhook ?? new ProjectWebhook();
    }

    public Task DeleteWebhookAsync(string projectName, CancellationToken cancellationToken) =>
        client.SendAsync("DeleteWebhook", new WebhookProjectRequest(projectName), Json.WebhookProjectRequest, Json.EmptyResponse, cancellationToken);

    public async Task<BatchGetBuildsResult> BatchGetBuildsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        CheckBatch(ids, nameof(ids));
        if (ids.Count == 0)
        {
            return new BatchGetBuildsResult([], []);
        }
        var response = await client.SendAsync("BatchGetBuilds", new BatchGetBuildsRequest(ids), Json.BatchGetBuildsRequest, Json.BatchGetBuildsResponse, cancellationToken).ConfigureAwait(false);
        return new BatchGetBuildsResult(response.Builds ?? [], response.BuildsNotFound ?? []);
    }

    public async Task<Page<string>> ListBuildsForProjectAsync(string projectName, string? nextToken, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync("ListBuildsForProject", new ListBuildsForProjectRequest(projectName, nextToken), Json.ListBuildsForProjectRequest, Json.ListBuildsForProjectResponse, cancellationToken).ConfigureAwait(false);
        return new Page<string>(response.Ids ?? [], NullIfEmpty(response.NextToken));
    }

    private async Task<CodeBuildProject> SendProjectAsync(string operation, CodeBuildProject project, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(operation, ProjectRequest.From(project), Json.ProjectRequest, Json.ProjectResponse, cancellationToken).ConfigureAwait(false);
        return response.Project ?? throw new AwsServiceErrorException(client.Service.Name, operation, "MalformedResponse", "the response has no project", null, 200);
    }

    private static void CheckBatch(IReadOnlyList<string> items, string parameter)
    {
        ArgumentNullException.ThrowIfNull(items, parameter);
        if (items.Count > MaxBatchSize)
        {
            throw new ArgumentException($"At most {MaxBatchSize} per call, got {items.Count}.", parameter);
        }
    }

    internal static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;
}
