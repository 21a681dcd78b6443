using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Rendering;

/// <summary>Renders a valid spec document into its desired state: the AWS request bodies it implies, each with a stable hash.</summary>
/// <remarks>
/// Pure and deterministic: the same document gives the same bytes on every run and machine, so a
/// changed hash always means a changed desire. It expects a document the validator accepted.
/// </remarks>
public static class PipelineRenderer
{
    public static DesiredState Render(PulumiPipeline document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var spec = document.Spec;
        var tags = Tags(document);
        var projects = spec.Stages.Select(stage =>
        {
            var inPipeline = CodePipelineRenderer.RunsInPipeline(spec, stage);
            var project = CodeBuildProjectRenderer.Render(document, stage, inPipeline, tags);
            var webhook = inPipeline ? null : WebhookRenderer.Render(project.Name, stage, spec.Source.Type);
            return new DesiredProject { Stage = stage.Name, Project = project, Webhook = webhook };
        }).ToList();

        DesiredPipeline? pipeline = null;
        if (spec.Pipeline?.Enabled == true)
        {
            var declaration = CodePipelineRenderer.Render(document);
            pipeline = new DesiredPipeline { Declaration = declaration, Tags = tags };
        }

        return new DesiredState
        {
            SpecName = document.Metadata.Name,
            Spec = spec,
            Projects = projects,
            Pipeline = pipeline,
        };
    }

    /// <summary>The tags every rendered resource carries: the spec's tags plus the ownership tags, sorted by key.</summary>
    public static IReadOnlyList<AwsTag> Tags(PulumiPipeline document)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in document.Spec.Tags ?? new Dictionary<string, string>())
        {
            tags[key] = value;
        }
        // Ownership tags are written last so that they win; the validator rejects user tags under
        // the reserved prefix, so this only matters for documents that bypassed it.
        tags[OwnershipTags.ManagedBy] = OwnershipTags.ManagedByValue;
        tags[OwnershipTags.Spec] = document.Metadata.Name;
        if (!string.IsNullOrEmpty(document.Metadata.Uid))
        {
            tags[OwnershipTags.Uid] = document.Metadata.Uid;
        }
        return tags.Select(t => new AwsTag { Key = t.Key, Value = t.Value }).ToList();
    }

    internal static string ProjectHash(CodeBuildProject project, WebhookRequest? webhook) => CanonicalJson.Hash(new JsonObject
    {
        ["project"] = Serialize(project, ModelJsonContext.Default.CodeBuildProject),
        ["webhook"] = webhook is null ? null : Serialize(webhook, ModelJsonContext.Default.WebhookRequest),
    });

    internal static string PipelineHash(PipelineDeclaration declaration, IReadOnlyList<AwsTag> tags) => CanonicalJson.Hash(new JsonObject
    {
        ["pipeline"] = Serialize(declaration, ModelJsonContext.Default.PipelineDeclaration),
        ["tags"] = Serialize(tags.ToList(), ModelJsonContext.Default.ListAwsTag),
    });

    private static JsonNode? Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToNode(value, typeInfo);
}
