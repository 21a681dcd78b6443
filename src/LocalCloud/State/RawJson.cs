using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.LocalCloud.State;

/// <summary>
/// A stored JSON value placed in an answer as it is, without parsing it into nodes: a BatchGetProjects answer of 100
/// projects is written from the bytes the project table keeps.
/// </summary>
internal static class RawJson
{
    private static readonly JsonTypeInfo<ReadOnlyMemory<byte>> Info =
        JsonMetadataServices.CreateValueInfo<ReadOnlyMemory<byte>>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, new Converter());

    /// <summary>A node that writes <paramref name="json"/> (UTF-8, already valid) verbatim.</summary>
    public static JsonNode Node(ReadOnlyMemory<byte> json) => JsonValue.Create(json, Info)!;

    private sealed class Converter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("raw JSON nodes are written, never read");

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Span, skipInputValidation: true);
    }
}
