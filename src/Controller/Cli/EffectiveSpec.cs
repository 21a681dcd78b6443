using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Templates;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary>The spec <c>render</c> and <c>diff</c> show: a templated spec merged onto its template as the controller merges it, or an error naming both when the template is not found.</summary>
internal static class EffectiveSpec
{
    /// <param name="where">Where the template was looked for, for the error (e.g. <c>among the files given</c>).</param>
    public static (PulumiPipeline? Document, string? Error) Resolve(PulumiPipeline document, IReadOnlyDictionary<string, PulumiPipelineTemplate> templates, string where)
    {
        if (document.Spec.Template is not { } name)
        {
            return (document, null);
        }
        return templates.TryGetValue(name, out var template)
            ? (TemplateMerge.Effective(document, template), null)
            : (null, $"spec '{document.Metadata.Name}' names template '{name}', which is not {where}");
    }

    /// <summary>True when the only problems are the unknown template: the spec may be checked again with templates from elsewhere.</summary>
    public static bool OnlyTemplateUnknown(ValidationResult result) => result.Errors.Count > 0 && result.Errors.All(e => e.Path == "$.spec.template");

    /// <summary>The spec's name and the template it names, read leniently from text that failed validation only for its template.</summary>
    public static (string Name, string Template)? TemplateNamed(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes) is JsonObject root && (string?)root["spec"]?["template"] is { } template
                ? ((string?)root["metadata"]?["name"] ?? "(unnamed)", template)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
