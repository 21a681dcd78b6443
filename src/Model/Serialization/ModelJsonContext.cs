using System.Text.Json.Serialization;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Serialization;

/// <summary>Source-generated System.Text.Json metadata for every document and wire shape in the model.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(PulumiPipeline))]
[JsonSerializable(typeof(List<PulumiPipeline>))]
[JsonSerializable(typeof(PipelineStatus))]
[JsonSerializable(typeof(ObjectMeta))]
[JsonSerializable(typeof(PipelineSpec))]
[JsonSerializable(typeof(PulumiPipelineTemplate))]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(CodeBuildProject))]
[JsonSerializable(typeof(WebhookRequest))]
[JsonSerializable(typeof(PipelineDeclaration))]
[JsonSerializable(typeof(PipelineMetadata))]
[JsonSerializable(typeof(PipelineSummary))]
[JsonSerializable(typeof(List<AwsTag>))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
