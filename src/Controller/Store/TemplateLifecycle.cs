using System.Globalization;
using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Store;

/// <summary>
/// The metadata rules of a stored template (those of <see cref="ObjectLifecycle"/> without status or finalizers), and
/// its stored JSON form; both adapters persist what these return, so they cannot drift apart.
/// </summary>
internal static class TemplateLifecycle
{
    private static readonly ModelJsonContext Compact = new(new JsonSerializerOptions(ModelJsonContext.Default.Options) { WriteIndented = false });

    public static PulumiPipelineTemplate ForCreate(PulumiPipelineTemplate template, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(template.Metadata.Name))
        {
            throw new StoreInvalidDocumentException("template has no metadata.name; a name is required to store it");
        }
        return template with
        {
            Metadata = template.Metadata with
            {
                Uid = Guid.NewGuid().ToString(),
                Generation = 1,
                ResourceVersion = "1",
                CreationTimestamp = clock.GetUtcNow(),
                DeletionTimestamp = null,
                Finalizers = null,
                Labels = template.Metadata.Labels is { Count: > 0 } labels ? labels : null,
                Annotations = template.Metadata.Annotations is { Count: > 0 } annotations ? annotations : null,
            },
        };
    }

    /// <summary>The stored template after <paramref name="incoming"/> is written over <paramref name="current"/>; null when nothing changes.</summary>
    public static PulumiPipelineTemplate? ForUpdate(PulumiPipelineTemplate current, PulumiPipelineTemplate incoming)
    {
        CheckPrecondition(current, incoming.Metadata.ResourceVersion);
        var labels = incoming.Metadata.Labels is { Count: > 0 } l ? l : null;
        var annotations = incoming.Metadata.Annotations is { Count: > 0 } a ? a : null;
        var specChanged = !System.Text.Json.Nodes.JsonNode.DeepEquals(current.Spec, incoming.Spec);
        if (!specChanged && SameMap(current.Metadata.Labels, labels) && SameMap(current.Metadata.Annotations, annotations) && current.ApiVersion == incoming.ApiVersion)
        {
            return null;
        }
        return current with
        {
            ApiVersion = incoming.ApiVersion,
            Spec = (System.Text.Json.Nodes.JsonObject)incoming.Spec.DeepClone(),
            Metadata = current.Metadata with
            {
                Labels = labels,
                Annotations = annotations,
                Generation = specChanged ? current.Metadata.Generation + 1 : current.Metadata.Generation,
                ResourceVersion = (ResourceVersionOf(current) + 1).ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>Fails with a conflict when the caller's resourceVersion is not the stored one (null skips the check).</summary>
    public static void CheckPrecondition(PulumiPipelineTemplate current, string? expected)
    {
        if (expected is not null && !string.Equals(expected, current.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            throw new StoreConflictException(
                $"template '{current.Metadata.Name}' was changed by someone else (the write expected resourceVersion {expected}); read it again and retry");
        }
    }

    public static long ResourceVersionOf(PulumiPipelineTemplate template) =>
        long.Parse(template.Metadata.ResourceVersion ?? "0", CultureInfo.InvariantCulture);

    public static string Serialize(PulumiPipelineTemplate template) => JsonSerializer.Serialize(template, Compact.PulumiPipelineTemplate);

    /// <summary>Reads a stored template; anything unreadable is a <see cref="StoreInvalidDocumentException"/> naming <paramref name="where"/>.</summary>
    public static PulumiPipelineTemplate Deserialize(string text, string where)
    {
        PulumiPipelineTemplate? template;
        try
        {
            template = JsonSerializer.Deserialize(text, Compact.PulumiPipelineTemplate);
        }
        catch (JsonException e)
        {
            throw new StoreInvalidDocumentException($"stored template {where} is not a readable PulumiPipelineTemplate: {e.Message}", e);
        }
        if (template is null || string.IsNullOrEmpty(template.Metadata.Name) || !long.TryParse(template.Metadata.ResourceVersion, out _))
        {
            throw new StoreInvalidDocumentException($"stored template {where} has no metadata.name or no numeric metadata.resourceVersion");
        }
        return template;
    }

    private static bool SameMap(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        return a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }
}
