using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Store;

/// <summary>The compact JSON form a document is stored in (SQLite rows, change-log entries, DynamoDB maps).</summary>
internal static class StoredDocumentJson
{
    // Compact: stored text is read by machines; indentation would only cost bytes. Equal short strings of the
    // documents read are shared: the informer caches every document, so repeats would otherwise cost per spec.
    private static readonly ModelJsonContext Compact = new(new JsonSerializerOptions(ModelJsonContext.Default.Options)
    {
        WriteIndented = false,
        Converters = { new SharedStringConverter(new SharedStrings()) },
    });

    public static string Serialize(PulumiPipeline document) =>
        JsonSerializer.Serialize(document, Compact.PulumiPipeline);

    /// <summary>The document's size in its stored form, in UTF-8 bytes.</summary>
    public static int Size(PulumiPipeline document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, Compact.PulumiPipeline).Length;

    public static string SerializeSpec(PipelineSpec spec) =>
        JsonSerializer.Serialize(spec, Compact.PipelineSpec);

    public static string SerializeStatus(PipelineStatus? status) =>
        status is null ? "null" : JsonSerializer.Serialize(status, Compact.PipelineStatus);

    /// <summary>Reads a stored document; anything unreadable is a <see cref="StoreInvalidDocumentException"/> naming <paramref name="where"/>.</summary>
    public static PulumiPipeline Deserialize(string text, string where)
    {
        PulumiPipeline? document;
        try
        {
            document = JsonSerializer.Deserialize(text, Compact.PulumiPipeline);
        }
        catch (JsonException e)
        {
            throw new StoreInvalidDocumentException($"stored document {where} is not a readable PulumiPipeline: {e.Message}", e);
        }
        if (document is null || string.IsNullOrEmpty(document.Metadata.Name) || !long.TryParse(document.Metadata.ResourceVersion, out _))
        {
            throw new StoreInvalidDocumentException($"stored document {where} has no metadata.name or no numeric metadata.resourceVersion");
        }
        return document;
    }
}
