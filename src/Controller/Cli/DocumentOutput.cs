using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Cli;

/// <summary>Prints documents as JSON or YAML; YAML is produced from the same JSON, so both show the same fields.</summary>
public static class DocumentOutput
{
    public static string Json(PulumiPipeline document) => JsonSerializer.Serialize(document, ModelJsonContext.Default.PulumiPipeline);

    public static string Json(IReadOnlyList<PulumiPipeline> documents) =>
        JsonSerializer.Serialize(documents.ToList(), ModelJsonContext.Default.ListPulumiPipeline);

    public static string Yaml(PulumiPipeline document) => JsonToYaml.Convert(JsonNode.Parse(Json(document)));

    /// <summary>One YAML document per item, separated by <c>---</c>.</summary>
    public static string Yaml(IReadOnlyList<PulumiPipeline> documents) =>
        string.Join("---\n", documents.Select(Yaml));
}
