using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// Where PulumiPipelineTemplates live, beside the specs of the same store (docs/templates.md, "Storage"). Templates
/// have metadata as specs do (uid, generation moved only by a spec change, resourceVersion preconditions) but no
/// status and no finalizers: nothing in AWS belongs to a template.
/// </summary>
public interface ITemplateStore
{
    /// <summary>Creates a template; the store sets uid, generation 1, resourceVersion and creationTimestamp.</summary>
    /// <exception cref="StoreAlreadyExistsException">A template of that name exists.</exception>
    Task<PulumiPipelineTemplate> CreateAsync(PulumiPipelineTemplate template, CancellationToken cancellationToken);

    Task<PulumiPipelineTemplate?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every template, by name (templates are few: a platform's patterns, not its pipelines).</summary>
    Task<IReadOnlyList<PulumiPipelineTemplate>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces spec, labels and annotations; precondition on <c>metadata.resourceVersion</c>.</summary>
    Task<PulumiPipelineTemplate> UpdateAsync(PulumiPipelineTemplate template, CancellationToken cancellationToken);

    /// <summary>Removes the template; precondition on <paramref name="resourceVersion"/> when given.</summary>
    /// <exception cref="StoreNotFoundException">No template of that name.</exception>
    Task DeleteAsync(string name, string? resourceVersion, CancellationToken cancellationToken);

    /// <summary>
    /// A value that moves after every create, change or delete of a template and costs one small read, so a poll can
    /// skip the list while it stands still; null where listing is as cheap (a local file): then every poll lists.
    /// </summary>
    Task<string?> ChangeMarkAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
