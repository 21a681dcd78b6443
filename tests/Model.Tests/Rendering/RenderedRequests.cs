using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Aws.ApiModels;
using Reconciler.Model.Rendering;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>Every API request a desired state implies, as the JSON body that goes on the wire, with its API-model check.</summary>
internal static class RenderedRequests
{
    public sealed record Request(ApiModel Service, string Operation, string Resource, JsonNode Body);

    public static IEnumerable<Request> All(DesiredState state)
    {
        foreach (var desired in state.Projects)
        {
            var project = JsonSerializer.SerializeToNode(desired.Project, ModelJsonContext.Default.CodeBuildProject)!;
            yield return new Request(ApiModels.CodeBuild, "CreateProject", desired.Project.Name, project);
            yield return new Request(ApiModels.CodeBuild, "UpdateProject", desired.Project.Name, project.DeepClone());
            if (desired.Webhook is { } webhook)
            {
                var body = JsonSerializer.SerializeToNode(webhook, ModelJsonContext.Default.WebhookRequest)!;
                yield return new Request(ApiModels.CodeBuild, "CreateWebhook", webhook.ProjectName, body);
                yield return new Request(ApiModels.CodeBuild, "UpdateWebhook", webhook.ProjectName, body.DeepClone());
            }
        }
        if (state.Pipeline is { } pipeline)
        {
            var declaration = JsonSerializer.SerializeToNode(pipeline.Declaration, ModelJsonContext.Default.PipelineDeclaration)!;
            var tags = JsonSerializer.SerializeToNode(pipeline.Tags.ToList(), ModelJsonContext.Default.ListAwsTag)!;
            yield return new Request(ApiModels.CodePipeline, "CreatePipeline", pipeline.Declaration.Name,
                new JsonObject { ["pipeline"] = declaration, ["tags"] = tags });
            yield return new Request(ApiModels.CodePipeline, "UpdatePipeline", pipeline.Declaration.Name,
                new JsonObject { ["pipeline"] = declaration.DeepClone() });
            yield return new Request(ApiModels.CodePipeline, "TagResource", pipeline.Declaration.Name,
                new JsonObject { ["resourceArn"] = $"arn:aws:codepipeline:us-east-1:111122223333:{pipeline.Declaration.Name}", ["tags"] = tags.DeepClone() });
        }
    }

    /// <summary>Every violation of every request, as <c>Operation resource: $.path: problem</c>.</summary>
    public static IReadOnlyList<string> Violations(DesiredState state) =>
        All(state).SelectMany(Violations).ToList();

    public static IEnumerable<string> Violations(Request request) =>
        request.Service.ValidateInput(request.Operation, request.Body).Select(v => $"{request.Operation} {request.Resource}: {v}");
}
