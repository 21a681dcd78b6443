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
    /// <summary>
    /// Validates document bytes, which must be UTF-8: a document with an invalid sequence gets the error with its byte
    /// offset, and the rest are validated together as text.
    /// </summary>
    public static IReadOnlyList<ValidationResult> Validate(IReadOnlyList<(string Source, byte[] Bytes)> documents) => Validate(documents, null);

    /// <summary>As <see cref="Validate(IReadOnlyList{ValueTuple{string, byte[]}})"/>, with templates stored already (those of the set win).</summary>
    public static IReadOnlyList<ValidationResult> Validate(IReadOnlyList<(string Source, byte[] Bytes)> documents, IReadOnlyDictionary<string, PulumiPipelineTemplate>? known)
    {
        var results = new ValidationResult?[documents.Count];
        var decoded = new List<(string Source, string Text)>();
        var positions = new List<int>();
        for (var i = 0; i < documents.Count; i++)
        {
            if (Utf8Text.TryDecode(documents[i].Bytes, out _) is { } text)
            {
                decoded.Add((documents[i].Source, text));
                positions.Add(i);
            }
            else
            {
                results[i] = SpecValidator.Validate(documents[i].Source, documents[i].Bytes);
            }
        }
        var validated = Validate(decoded, known);
        for (var j = 0; j < positions.Count; j++)
        {
            results[positions[j]] = validated[j];
        }
        return results!;
    }

    /// <summary>One result per document, in the order given; a template's result carries no PulumiPipeline.</summary>
    public static IReadOnlyList<ValidationResult> Validate(IReadOnlyList<(string Source, string Text)> documents) => Validate(documents, null);

    /// <summary>One result per document; a spec may also name one of <paramref name="known"/> (templates stored already; those of the set win).</summary>
    public static IReadOnlyList<ValidationResult> Validate(IReadOnlyList<(string Source, string Text)> documents, IReadOnlyDictionary<string, PulumiPipelineTemplate>? known)
    {
        var templates = new Dictionary<string, PulumiPipelineTemplate>(known ?? new Dictionary<string, PulumiPipelineTemplate>(), StringComparer.Ordinal);
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
