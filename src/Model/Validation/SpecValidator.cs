using System.Text;
using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Templates;
using Reconciler.Model.Validation.Rules;

namespace Reconciler.Model.Validation;

/// <summary>
/// Validates PulumiPipeline documents: JSON syntax, the JSON Schema (structure, unknown fields), then the semantic
/// rules the schema cannot express. Reports every error at once, in document order, and never throws.
/// </summary>
public static class SpecValidator
{
    /// <summary>DynamoDB's item size limit (400 KB); the store keeps one document per item.</summary>
    public const int MaxDocumentBytes = 400 * 1024;

    /// <summary>Validates document text; <paramref name="source"/> names it in every error (a file name, <c>&lt;stdin&gt;</c>).</summary>
    public static ValidationResult Validate(string source, string text) => Validate(source, text, null);

    /// <summary>
    /// Validates document text whose spec may name a template: the spec's own structure, then the semantic rules on
    /// its effective spec (<see cref="TemplateMerge"/>). A template not in <paramref name="templates"/> is an error.
    /// The result's document is the spec as written (with its template reference), not the effective one.
    /// </summary>
    public static ValidationResult Validate(string source, string text, IReadOnlyDictionary<string, PulumiPipelineTemplate>? templates)
    {
        try
        {
            var result = ValidateText(source, text ?? "");
            if (result.Document is { Spec.Template: { } name } document)
            {
                IReadOnlyList<ValidationError> errors = templates is not null && templates.TryGetValue(name, out var template)
                    ? Validate(source, TemplateMerge.Effective(document, template))
                    : [new ValidationError(source, "$.spec.template",
                        $"no {PulumiPipelineTemplate.KindName} named {Quoted.Text(name)} is known; validate or apply the spec together with its template, or apply the template first")];
                return new ValidationResult(source, errors, errors.Count == 0 ? document : null);
            }
            return result;
        }
        catch (Exception ex)
        {
            // The contract is "never throws"; a bug in a rule must still come out as an error, not a crash.
            return new ValidationResult(source,
                [new ValidationError(source, JsonPath.Root, $"internal validator error ({ex.GetType().Name}); the document could not be checked")], null);
        }
    }

    /// <summary>Applies the semantic rules to a typed document, such as one read back from the store.</summary>
    public static IReadOnlyList<ValidationError> Validate(string source, PulumiPipeline document)
    {
        var context = new RuleContext(source);
        if (document is null)
        {
            context.Add(JsonPath.Root, "no document");
            return context.Errors;
        }
        DocumentRules.Check(context, document);
        return context.Errors;
    }

    private static ValidationResult ValidateText(string source, string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return Invalid(source, new ValidationError(source, JsonPath.Root,
                "the document is empty; expected a JSON object with apiVersion, kind, metadata and spec"));
        }
        var errors = new List<ValidationError>();
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxDocumentBytes)
        {
            errors.Add(new ValidationError(source, JsonPath.Root,
                $"the document is {size} bytes; the store keeps each document in one DynamoDB item, which holds at most {MaxDocumentBytes} bytes (400 KB)"));
        }
        using var json = JsonSyntax.TryParse(source, text, errors);
        if (json is null)
        {
            return new ValidationResult(source, errors, null);
        }
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(source, JsonPath.Root,
                $"the document root is {KindOf(root)}; expected a JSON object with apiVersion, kind, metadata and spec"));
            return new ValidationResult(source, errors, null);
        }

        var tree = DocumentTree.Index(root, source);
        if (tree.InvalidText.Count > 0)
        {
            errors.AddRange(tree.InvalidText);
            return new ValidationResult(source, errors, null);
        }
        errors.AddRange(tree.DuplicateFields);
        var findings = SchemaCheck.Evaluate(tree);
        if (root.TryGetProperty("spec", out var specElement) && specElement.ValueKind == JsonValueKind.Object && specElement.TryGetProperty("template", out _))
        {
            // A spec that names a template states only what differs: what it leaves out, the template gives, and the
            // effective spec is checked whole.
            findings.RemoveAll(f => f.Kind == SchemaFindingKind.MissingField && JsonPath.IsAtOrBelow(f.Path, "$.spec"));
        }

        // Values of the wrong type are left out of the typed document so the rules can still run on the rest.
        var wrongType = findings.Where(f => f.Kind == SchemaFindingKind.WrongType).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var leftOut = new List<(string Path, string Reason)>();
        var document = DocumentReader.Read(root, wrongType, leftOut);

        // Below a missing or unreadable value the typed document holds defaults; rules there would report noise.
        var quiet = findings.Where(f => f.Kind is SchemaFindingKind.MissingField or SchemaFindingKind.WrongType)
            .Select(f => f.Path).Concat(leftOut.Select(l => l.Path)).ToList();
        // A spec that names a template is checked whole once merged (see Validate with templates), not as written.
        var semantic = document is null || document.Spec?.Template is not null
            ? []
            : Validate(source, document).Where(e => !quiet.Any(q => JsonPath.IsAtOrBelow(e.Path, q))).ToList();

        // Where a semantic rule speaks about a value, its message (what is wrong and what is allowed) replaces the schema's.
        var explained = semantic.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var reported = findings.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(findings
            .Where(f => !(f.Kind == SchemaFindingKind.BadValue && explained.Contains(f.Path)))
            .Select(f => new ValidationError(source, f.Path, f.Message)));
        errors.AddRange(leftOut
            .Where(l => !reported.Contains(l.Path))
            .Select(l => new ValidationError(source, l.Path, $"the value cannot be read: {Clause.From(l.Reason)}")));
        errors.AddRange(semantic);

        var ordered = errors
            .Distinct()
            .Select((error, index) => (error, index, order: tree.OrderOf(error.Path)))
            .OrderBy(x => x.order.Position).ThenBy(x => x.order.AfterSubtree).ThenBy(x => x.index)
            .Select(x => x.error)
            .ToList();
        if (ordered.Count == 0 && document is null)
        {
            ordered.Add(new ValidationError(source, JsonPath.Root, "the document cannot be read as a PulumiPipeline"));
        }
        return new ValidationResult(source, ordered, ordered.Count == 0 ? document : null);
    }

    /// <summary>
    /// Validates a PulumiPipelineTemplate: apiVersion, kind, name, and its spec's structure (every field of a
    /// PulumiPipeline spec, all optional; unknown fields and wrong types are errors). Its values are checked in
    /// each spec that uses it, once merged.
    /// </summary>
    public static (IReadOnlyList<ValidationError> Errors, PulumiPipelineTemplate? Template) ValidateTemplate(string source, string text)
    {
        try
        {
            return ValidateTemplateText(source, text ?? "");
        }
        catch (Exception ex)
        {
            return ([new ValidationError(source, JsonPath.Root, $"internal validator error ({ex.GetType().Name}); the template could not be checked")], null);
        }
    }

    private static (IReadOnlyList<ValidationError>, PulumiPipelineTemplate?) ValidateTemplateText(string source, string text)
    {
        var errors = new List<ValidationError>();
        using var json = JsonSyntax.TryParse(source, text.TrimStart('\uFEFF'), errors);
        if (json is null)
        {
            return (errors, null);
        }
        if (System.Text.Json.Nodes.JsonNode.Parse(json.RootElement.GetRawText()) is not System.Text.Json.Nodes.JsonObject root)
        {
            return ([new ValidationError(source, JsonPath.Root, $"the document root is {KindOf(json.RootElement)}; expected a JSON object with apiVersion, kind, metadata and spec")], null);
        }
        foreach (var name in root.Select(p => p.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata" or "spec")))
        {
            errors.Add(new ValidationError(source, JsonPath.Field(JsonPath.Root, name), $"unknown field {Quoted.Text(name)}; allowed fields here: \"apiVersion\", \"kind\", \"metadata\", \"spec\""));
        }
        if ((string?)root["apiVersion"] != PulumiPipeline.CurrentApiVersion)
        {
            errors.Add(new ValidationError(source, "$.apiVersion", $"unsupported apiVersion {Quoted.Text((string?)root["apiVersion"])}; expected \"{PulumiPipeline.CurrentApiVersion}\""));
        }
        if ((string?)root["kind"] != PulumiPipelineTemplate.KindName)
        {
            errors.Add(new ValidationError(source, "$.kind", $"unsupported kind {Quoted.Text((string?)root["kind"])}; expected \"{PulumiPipelineTemplate.KindName}\""));
        }
        if (root["spec"] is not System.Text.Json.Nodes.JsonObject spec)
        {
            errors.Add(new ValidationError(source, "$.spec", "required: the template's spec (any part of a PulumiPipeline spec), as an object"));
            return (errors, null);
        }
        // The spec's structure is checked as a PulumiPipeline spec that names a template: nothing required, nothing unknown.
        var probe = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = PulumiPipeline.CurrentApiVersion,
            ["kind"] = PulumiPipeline.KindName,
            ["metadata"] = root["metadata"]?.DeepClone(),
            ["spec"] = spec.DeepClone(),
        };
        probe["spec"]!["template"] = "template";
        var checkedSpec = ValidateText(source, probe.ToJsonString());
        errors.AddRange(checkedSpec.Errors.Where(e => e.Path != "$.spec.template"));
        if (errors.Count > 0)
        {
            return (errors, null);
        }
        return (errors, new PulumiPipelineTemplate
        {
            Metadata = checkedSpec.Document!.Metadata,
            Spec = (System.Text.Json.Nodes.JsonObject)spec.DeepClone(),
        });
    }

    private static ValidationResult Invalid(string source, ValidationError error) => new(source, [error], null);

    private static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "not an object",
    };
}
