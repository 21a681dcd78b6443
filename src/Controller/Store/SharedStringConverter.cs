using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Controller.Store;

/// <summary>Reads JSON strings through <see cref="SharedStrings"/>; writes them as they are.</summary>
internal sealed class SharedStringConverter(SharedStrings strings) : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } value ? strings.Share(value) : null;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
