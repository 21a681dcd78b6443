using Reconciler.Model.Aws;

namespace Reconciler.Model.Rendering.Pulumi;

/// <summary>How a program is generated for one spec's stack.</summary>
/// <param name="Project">The Pulumi project name every spec's program shares; stacks are named after specs.</param>
/// <param name="RetainOnDelete">Mark every resource <c>retainOnDelete</c> (deletionPolicy Retain: a destroy leaves them in AWS).</param>
/// <param name="ReleaseOwnership">Leave the ownership tags out (Retain: an <c>up</c> of this program releases the resources).</param>
/// <param name="Import">Give every resource the <c>import</c> option with its physical name: an <c>up</c> adopts the existing resources into the stack.</param>
public sealed record PulumiProgramOptions(string Project = PulumiProgramOptions.DefaultProject, bool RetainOnDelete = false, bool ReleaseOwnership = false, bool Import = false)
{
    public const string DefaultProject = "reconciler";
}

/// <summary>Turns a desired state into the Pulumi YAML program that declares the same resources through the AWS provider.</summary>
/// <remarks>
/// Pure and deterministic, like the renderer it follows. Logical names are the AWS names (a webhook's is its
/// project's plus <c>-webhook</c>), each resource sets its physical name explicitly (no auto-naming), a
/// webhook depends on its project and the pipeline on every project, as the direct engine orders its calls.
/// </remarks>
public static class PulumiProgramRenderer
{
    /// <summary>The suffix of a webhook's logical name.</summary>
    public const string WebhookSuffix = "-webhook";

    public static PulumiProgram Render(DesiredState state, PulumiProgramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        options ??= new PulumiProgramOptions();
        var resources = new List<PulumiResource>();
        foreach (var desired in state.Projects)
        {
            var project = desired.Project with { Tags = Tags(desired.Project.Tags, options) };
            resources.Add(new PulumiResource(project.Name, PulumiResourceType.CodeBuildProject, ProviderInputs.Project(project), [], options.RetainOnDelete, ImportId(project.Name, options)));
            if (desired.Webhook is { } webhook)
            {
                resources.Add(new PulumiResource(project.Name + WebhookSuffix, PulumiResourceType.CodeBuildWebhook,
                    ProviderInputs.Webhook(webhook), [project.Name], options.RetainOnDelete, ImportId(project.Name, options)));
            }
        }
        if (state.Pipeline is { } pipeline)
        {
            var projectNames = state.Projects
                .Where(p => p.Webhook is null)
                .Select(p => p.Project.Name)
                .ToList();
            resources.Add(new PulumiResource(pipeline.Declaration.Name, PulumiResourceType.CodePipeline,
                ProviderInputs.Pipeline(pipeline.Declaration, Tags(pipeline.Tags, options)), projectNames, options.RetainOnDelete, ImportId(pipeline.Declaration.Name, options)));
        }
        return new PulumiProgram(options.Project, resources);
    }

    // The provider's ids are the AWS names: a project's and its webhook's are the project name, a pipeline's its name.
    private static string? ImportId(string name, PulumiProgramOptions options) => options.Import ? name : null;

    private static IReadOnlyList<AwsTag>? Tags(IReadOnlyList<AwsTag>? tags, PulumiProgramOptions options) =>
        options.ReleaseOwnership ? tags?.Where(t => !t.Key.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal)).ToList() : tags;
}
