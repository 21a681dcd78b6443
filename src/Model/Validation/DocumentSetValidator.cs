using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation;

/// <summary>
/// Validates a set of documents of both kinds together: the PulumiPipelineTemplates first, then each PulumiPipeline
/// with the valid templates of the set, so a spec that names a template is checked whole (its effective spec).
/// </summary>
public static class DocumentSetValidator
{
    /// <summary>One result per document, in the order given; a template's result carries no PulumiPipeline.</summary>
    public static IReadOnlyList<ValidationResult> Validate(IReadOnlyList<(string Source, string Text)> documents)
    {
        var templates = new Dictionary<string, PulumiPipelineTemplate>(StringComparer.Ordinal);
        var results = new ValidationResult?[documents.Count];
        for (var i = 0; i < documents.Count; i++)
        {
            if (IsTemplate(documents[i].Text))
            {
                var (errors, template) = SpecValidator.ValidateTemplate(documents[i].Source, documents[i].Text);
                results[i] = new ValidationResult(documents[i].Source, errors, null);
                if (template is not null)
                {
                    templates[template.Metadata.Name] = template;
                }
            }
        }
        for (var i = 0; i < documents.Count; i++)
        {
            results[i] ??= SpecValidator.Validate(documents[i].Source, documents[i].Text, templates);
        }
        return results!;
    }

    /// <summary>Whether the text is a JSON object whose kind is PulumiPipelineTemplate (anything else is checked as a PulumiPipeline).</summary>
    public static bool IsTemplate(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject root && root["kind"] is JsonValue kind
                && kind.TryGetValue<string>(out var name) && name == PulumiPipelineTemplate.KindName;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
