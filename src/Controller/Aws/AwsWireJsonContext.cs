using System.Text.Json.Serialization;

namespace Reconciler.Controller.Aws;

/// <summary>Source-generated JSON for the camelCase services (CodeBuild, CodePipeline): nulls omitted, reading lenient.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(AwsTimestampJsonConverter)])]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(ProjectNamesRequest))]
[JsonSerializable(typeof(BatchGetProjectsResponse))]
[JsonSerializable(typeof(ListProjectsRequest))]
[JsonSerializable(typeof(ListProjectsResponse))]
[JsonSerializable(typeof(ProjectRequest))]
[JsonSerializable(typeof(ProjectResponse))]
[JsonSerializable(typeof(DeleteProjectRequest))]
[JsonSerializable(typeof(CreateWebhookRequest))]
[JsonSerializable(typeof(Reconciler.Model.Aws.WebhookRequest))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(WebhookProjectRequest))]
[JsonSerializable(typeof(BatchGetBuildsRequest))]
[JsonSerializable(typeof(BatchGetBuildsResponse))]
[JsonSerializable(typeof(ListBuildsForProjectRequest))]
[JsonSerializable(typeof(ListBuildsForProjectResponse))]
[JsonSerializable(typeof(ListPipelinesRequest))]
[JsonSerializable(typeof(ListPipelinesResponse))]
[JsonSerializable(typeof(PipelineNameRequest))]
[JsonSerializable(typeof(GetPipelineResponse))]
[JsonSerializable(typeof(CreatePipelineRequest))]
[JsonSerializable(typeof(UpdatePipelineRequest))]
[JsonSerializable(typeof(PipelineResponse))]
[JsonSerializable(typeof(GetPipelineStateResponse))]
[JsonSerializable(typeof(ListTagsForResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(UntagResourceRequest))]
internal sealed partial class AwsWireJsonContext : JsonSerializerContext;
