using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Aws;
using Reconciler.Model.Rendering.Pulumi;
using Reconciler.Model.Serialization;

namespace Reconciler.PulumiStandIn.Aws;

/// <summary>
/// The part of the AWS provider plugin the generated programs need: create, read, update and delete of CodeBuild
/// projects, webhooks and CodePipeline pipelines, from provider inputs to API calls and from API answers back to
/// provider properties (outputs carry the inputs' names plus <c>arn</c>).
/// </summary>
internal sealed class ResourceProvider(AwsWireClient aws)
{
    /// <summary>Creates the resource; returns its id and outputs.</summary>
    public async Task<(string Id, JsonObject Outputs)> CreateAsync(PulumiResourceType type, JsonObject inputs, CancellationToken ct)
    {
        if (type == PulumiResourceType.CodeBuildProject)
        {
            var project = ProviderInputs.ToProject(inputs);
            var answer = await aws.CodeBuildAsync("CreateProject", Node(project, ModelJsonContext.Default.CodeBuildProject), ct);
            return (project.Name, ProjectOutputs(answer["project"]!.AsObject()));
        }
        if (type == PulumiResourceType.CodeBuildWebhook)
        {
            var webhook = ProviderInputs.ToWebhook(inputs);
            var answer = await aws.CodeBuildAsync("CreateWebhook", Node(webhook, ModelJsonContext.Default.WebhookRequest), ct);
            return (webhook.ProjectName, WebhookOutputs(webhook.ProjectName, answer["webhook"]?.AsObject()));
        }
        var (declaration, tags) = ProviderInputs.ToPipeline(inputs);
        await aws.CodePipelineAsync("CreatePipeline", new JsonObject
        {
            ["pipeline"] = Node(declaration, ModelJsonContext.Default.PipelineDeclaration),
            ["tags"] = Tags(tags),
        }, ct);
        return (declaration.Name, (await ReadPipelineAsync(declaration.Name, ct))!);
    }

    /// <summary>Brings the resource to its new inputs; returns its outputs.</summary>
    public async Task<JsonObject> UpdateAsync(PulumiResourceType type, string id, JsonObject inputs, CancellationToken ct)
    {
        if (type == PulumiResourceType.CodeBuildProject)
        {
            var answer = await aws.CodeBuildAsync("UpdateProject", Node(ProviderInputs.ToProject(inputs), ModelJsonContext.Default.CodeBuildProject), ct);
            return ProjectOutputs(answer["project"]!.AsObject());
        }
        if (type == PulumiResourceType.CodeBuildWebhook)
        {
            var webhook = ProviderInputs.ToWebhook(inputs);
            var answer = await aws.CodeBuildAsync("UpdateWebhook", Node(webhook, ModelJsonContext.Default.WebhookRequest), ct);
            return WebhookOutputs(webhook.ProjectName, answer["webhook"]?.AsObject());
        }
        var (declaration, tags) = ProviderInputs.ToPipeline(inputs);
        var updated = await aws.CodePipelineAsync("UpdatePipeline", new JsonObject
        {
            ["pipeline"] = Node(declaration, ModelJsonContext.Default.PipelineDeclaration),
        }, ct);
        var arn = (string?)updated["pipeline"]?["pipelineArn"] ?? await PipelineArnAsync(id, ct);
        var live = await aws.CodePipelineAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn }, ct);
        var liveKeys = ((live["tags"] as JsonArray) ?? []).Select(t => (string)t!["key"]!).ToList();
        var removed = liveKeys.Where(k => tags.All(t => t.Key != k)).ToList();
        if (removed.Count > 0)
        {
            await aws.CodePipelineAsync("UntagResource", new JsonObject
            {
                ["resourceArn"] = arn,
                ["tagKeys"] = new JsonArray(removed.Select(k => (JsonNode?)k).ToArray()),
            }, ct);
        }
        if (tags.Count > 0)
        {
            await aws.CodePipelineAsync("TagResource", new JsonObject
            {
                ["resourceArn"] = arn,
                ["tags"] = Tags(tags),
            }, ct);
        }
        return (await ReadPipelineAsync(id, ct))!;
    }

    public async Task DeleteAsync(PulumiResourceType type, string id, CancellationToken ct)
    {
        if (type == PulumiResourceType.CodeBuildProject)
        {
            await aws.CodeBuildAsync("DeleteProject", new JsonObject { ["name"] = id }, ct);
        }
        else if (type == PulumiResourceType.CodeBuildWebhook)
        {
            await aws.CodeBuildAsync("DeleteWebhook", new JsonObject { ["projectName"] = id }, ct);
        }
        else
        {
            await aws.CodePipelineAsync("DeletePipeline", new JsonObject { ["name"] = id }, ct);
        }
    }

    /// <summary>The resource's live properties, or null when it no longer exists (refresh removes it from the state).</summary>
    public async Task<JsonObject?> ReadAsync(PulumiResourceType type, string id, CancellationToken ct)
    {
        if (type == PulumiResourceType.CodePipeline)
        {
            return await ReadPipelineAsync(id, ct);
        }
        var answer = await aws.CodeBuildAsync("BatchGetProjects", new JsonObject { ["names"] = new JsonArray(id) }, ct);
        if ((answer["projects"] as JsonArray)?.FirstOrDefault() is not JsonObject project)
        {
            return null;
        }
        if (type == PulumiResourceType.CodeBuildProject)
        {
            return ProjectOutputs(project);
        }
        return project["webhook"] is JsonObject webhook ? WebhookOutputs(id, webhook) : null;
    }

    private async Task<JsonObject?> ReadPipelineAsync(string name, CancellationToken ct)
    {
        JsonObject answer;
        try
        {
            answer = await aws.CodePipelineAsync("GetPipeline", new JsonObject { ["name"] = name }, ct);
        }
        catch (AwsCallException ex) when (ex.Code == "PipelineNotFoundException")
        {
            return null;
        }
        var arn = (string?)answer["metadata"]?["pipelineArn"] ?? "";
        var declaration = answer["pipeline"]!.Deserialize(ModelJsonContext.Default.PipelineDeclaration)!;
        var tags = await aws.CodePipelineAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn }, ct);
        var outputs = ProviderInputs.Pipeline(declaration, tags["tags"]?.Deserialize(ModelJsonContext.Default.ListAwsTag) ?? []);
        outputs["arn"] = arn;
        return outputs;
    }

    private async Task<string> PipelineArnAsync(string name, CancellationToken ct)
    {
        var answer = await aws.CodePipelineAsync("GetPipeline", new JsonObject { ["name"] = name }, ct);
        return (string?)answer["metadata"]?["pipelineArn"] ?? "";
    }

    private static JsonObject ProjectOutputs(JsonObject project)
    {
        // Timestamps are epoch numbers on the wire; the outputs do not carry them.
        var copy = project.DeepClone().AsObject();
        copy.Remove("created");
        copy.Remove("lastModified");
        copy.Remove("webhook");
        var typed = copy.Deserialize(ModelJsonContext.Default.CodeBuildProject)!;
        var outputs = ProviderInputs.Project(typed);
        outputs["arn"] = typed.Arn;
        return outputs;
    }

    private static JsonObject WebhookOutputs(string projectName, JsonObject? webhook)
    {
        var outputs = ProviderInputs.Webhook(new WebhookRequest
        {
            ProjectName = projectName,
            BranchFilter = (string?)webhook?["branchFilter"],
            FilterGroups = webhook?["filterGroups"]?.Deserialize(FilterGroupsInfo),
            BuildType = (string?)webhook?["buildType"],
        });
        outputs["url"] = (string?)webhook?["url"];
        outputs["payloadUrl"] = (string?)webhook?["payloadUrl"];
        // CodeBuild returns the webhook's secret once, when it is created; the provider keeps it as a secret output.
        if ((string?)webhook?["secret"] is { } secret)
        {
            outputs["secret"] = Engine.SecretOutputs.Secret(secret);
        }
        return outputs;
    }

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<IReadOnlyList<WebhookFilter>>> FilterGroupsInfo =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<IReadOnlyList<WebhookFilter>>>)ModelJsonContext.Default.GetTypeInfo(typeof(IReadOnlyList<IReadOnlyList<WebhookFilter>>))!;

    private static JsonObject Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToNode(value, typeInfo)!.AsObject();

    private static JsonArray Tags(IReadOnlyList<AwsTag> tags) =>
        JsonSerializer.SerializeToNode(tags.ToList(), ModelJsonContext.Default.ListAwsTag)!.AsArray();
}
