using System.Text.Json;
using Json.Schema;

namespace Reconciler.Model.Validation;

/// <summary>The JSON Schema of <c>reconciler/v1</c> PulumiPipeline documents (schemas/pulumipipeline.v1.schema.json), embedded in this assembly.</summary>
public static class PulumiPipelineSchema
{
    private const string ResourceName = "Reconciler.Model.pulumipipeline.v1.schema.json";

    private static readonly Lazy<string> LazyText = new(ReadText);
    private static readonly Lazy<JsonDocument> LazyDocument = new(() => JsonDocument.Parse(LazyText.Value));

    // A private registry: building into the global one would fail the second time the same $id is seen.
    private static readonly Lazy<JsonSchema> LazySchema = new(() =>
        JsonSchema.FromText(LazyText.Value, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    /// <summary>The schema text, as checked in.</summary>
    public static string Text => LazyText.Value;

    /// <summary>The built schema, ready to evaluate.</summary>
    public static JsonSchema Schema => LazySchema.Value;

    /// <summary>The parsed schema, for finding the subschema that applies at an instance location.</summary>
    internal static JsonElement Root => LazyDocument.Value.RootElement;

    private static string ReadText()
    {
        using var stream = typeof(PulumiPipelineSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the Model assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
