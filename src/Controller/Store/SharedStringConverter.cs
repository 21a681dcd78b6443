using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Controller.Store;

/// <summary>Reads JSON strings (values and dictionary keys, such as label names) through <see cref="SharedStrings"/>; writes them as they are.</summary>
internal sealed class SharedStringConverter(SharedStrings strings) : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } value ? strings.Share(value) : null;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        strings.Share(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}
