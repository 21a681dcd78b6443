using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Controller.Aws;

/// <summary>Reads AWS timestamps leniently (epoch seconds, possibly fractional, as a number or a string; or ISO-8601) and writes epoch seconds.</summary>
public sealed class AwsTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return FromEpochSeconds(reader.GetDecimal());
            case JsonTokenType.String:
                var text = reader.GetString() ?? "";
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    return FromEpochSeconds(seconds);
                }
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    return parsed;
                }
                throw new JsonException($"'{text}' is neither epoch seconds nor an ISO-8601 timestamp.");
            default:
                throw new JsonException($"A timestamp must be a number or a string, not {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(decimal.Round(value.ToUnixTimeMilliseconds() / 1000m, 3));

    private static DateTimeOffset FromEpochSeconds(decimal seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero));
}
