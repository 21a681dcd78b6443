using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Aws;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Planning;

/// <summary>The field-level difference of each resource kind: desired request body against what the service returns.</summary>
public static class ResourceDiff
{
    private static readonly JsonSubsetDiff ProjectDiff = new(new Dictionary<string, CollectionRule>
    {
        ["environment.environmentVariables"] = new CollectionRule.Map("name"),
        ["tags"] = new CollectionRule.Map("key", "value", "aws:"),
    });

    private static readonly JsonSubsetDiff WebhookDiff = new(new Dictionary<string, CollectionRule>
    {
        ["filterGroups"] = new CollectionRule.SetOfSets(),
    });

    // Stages and actions keep the generic by-position rule: their order is the pipeline's behaviour.
    private static readonly JsonSubsetDiff PipelineDiff = new(new Dictionary<string, CollectionRule>
    {
        ["tags"] = new CollectionRule.Map("key", "value", "aws:"),
    });

    public static IReadOnlyList<FieldDelta> Project(CodeBuildProject desired, CodeBuildProject live)
    {
        // The webhook is its own resource, and the read-only members are the service's.
        var desiredNode = ToNode(desired.WithoutServerFields());
        var liveNode = ToNode(live with { Webhook = null });
        return ProjectDiff.Compare(desiredNode, liveNode);
    }

    public static IReadOnlyList<FieldDelta> Webhook(WebhookRequest desired, ProjectWebhook live)
    {
        var desiredNode = ToNode(desired with { ProjectName = "", RotateSecret = null });
        var liveNode = ToNode(new WebhookRequest
        {
            ProjectName = "",
            BranchFilter = live.BranchFilter,
            FilterGroups = live.FilterGroups,
            BuildType = live.BuildType,
        });
        return WebhookDiff.Compare(desiredNode, liveNode);
    }

    /// <summary>The declaration (its <c>version</c> is the service's) and the tags, which CodePipeline keeps apart.</summary>
    public static IReadOnlyList<FieldDelta> Pipeline(DesiredPipeline desired, LivePipeline live)
    {
        var desiredNode = ToNode(desired.Declaration with { Version = null });
        desiredNode["tags"] = ToNode(desired.Tags);
        var liveNode = ToNode(live.Declaration);
        liveNode["tags"] = ToNode(live.Tags);
        return PipelineDiff.Compare(desiredNode, liveNode);
    }

    private static JsonObject ToNode(CodeBuildProject project) =>
        JsonSerializer.SerializeToNode(project, ModelJsonContext.Default.CodeBuildProject)!.AsObject();

    private static JsonObject ToNode(WebhookRequest webhook) =>
        JsonSerializer.SerializeToNode(webhook, ModelJsonContext.Default.WebhookRequest)!.AsObject();

    private static JsonObject ToNode(PipelineDeclaration declaration) =>
        JsonSerializer.SerializeToNode(declaration, ModelJsonContext.Default.PipelineDeclaration)!.AsObject();

    private static JsonNode ToNode(IReadOnlyList<AwsTag> tags) =>
        JsonSerializer.SerializeToNode(tags.ToList(), ModelJsonContext.Default.ListAwsTag)!;
}
