using System.Text.Json;
using System.Text.RegularExpressions;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Cli;

/// <summary>
/// The seam between <c>apply</c> and the model's validator: the same shape as
/// <c>SpecValidator.Validate(source, text)</c>. Until that validator lands this checks only what the store needs
/// (readable JSON, kind, apiVersion, a DNS-label name).
/// </summary>
public static partial class SpecValidation
{
    public static SpecValidationResult Validate(string source, string text)
    {
        PulumiPipeline? document;
        try
        {
            document = JsonSerializer.Deserialize(text, ModelJsonContext.Default.PulumiPipeline);
        }
        catch (JsonException e)
        {
            return new SpecValidationResult(source, [new ValidationError(source, e.Path ?? "$", $"not a readable document: {e.Message}")], null);
        }
        if (document is null)
        {
            return new SpecValidationResult(source, [new ValidationError(source, "$", "the document is empty")], null);
        }
        var errors = new List<ValidationError>();
        if (document.Kind != PulumiPipeline.KindName)
        {
            errors.Add(new ValidationError(source, "$.kind", $"must be '{PulumiPipeline.KindName}', not '{document.Kind}'"));
        }
        if (document.ApiVersion != PulumiPipeline.CurrentApiVersion)
        {
            errors.Add(new ValidationError(source, "$.apiVersion", $"must be '{PulumiPipeline.CurrentApiVersion}', not '{document.ApiVersion}'"));
        }
        if (!DnsLabel().IsMatch(document.Metadata.Name))
        {
            errors.Add(new ValidationError(source, "$.metadata.name", $"'{document.Metadata.Name}' is not a lower-case DNS label (a-z, 0-9, '-', at most 63)"));
        }
        return new SpecValidationResult(source, errors, errors.Count == 0 ? document : null);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

/// <summary>The outcome of validating one document: its errors, or the document when it has none.</summary>
public sealed record SpecValidationResult(string Source, IReadOnlyList<ValidationError> Errors, PulumiPipeline? Document)
{
    public bool IsValid => Errors.Count == 0 && Document is not null;
}
