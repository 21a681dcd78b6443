using Reconciler.Model.Aws;

namespace Reconciler.Model.Planning;

/// <summary>What exists in AWS under the names a spec cares about; a name that is absent was not found.</summary>
public sealed record LiveState
{
    public static LiveState Empty { get; } = new();

    /// <summary>Found projects by name, as BatchGetProjects returns them (tags and webhook included).</summary>
    public IReadOnlyDictionary<string, CodeBuildProject> Projects { get; init; } = new Dictionary<string, CodeBuildProject>();

    /// <summary>Found pipelines by name.</summary>
    public IReadOnlyDictionary<string, LivePipeline> Pipelines { get; init; } = new Dictionary<string, LivePipeline>();

    /// <summary>Every found resource, webhooks included, in a stable order.</summary>
    public IEnumerable<ResourceRef> Resources()
    {
        foreach (var (name, project) in Projects.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return new ResourceRef(ResourceKind.CodeBuildProject, name);
            if (project.Webhook is not null)
            {
                yield return new ResourceRef(ResourceKind.CodeBuildWebhook, name);
            }
        }
        foreach (var name in Pipelines.Keys.Order(StringComparer.Ordinal))
        {
            yield return new ResourceRef(ResourceKind.CodePipeline, name);
        }
    }
}
