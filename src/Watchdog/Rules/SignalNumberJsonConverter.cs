using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Rules;

/// <summary>
/// Writes a signal's number as JSON: a finite number as a JSON number, and the values JSON has no number for as the
/// strings Prometheus uses (<c>"+Inf"</c>, <c>"-Inf"</c>, <c>"NaN"</c>). <c>+Inf</c> is what <c>histogram_quantile</c>
/// answers when latency is past the top bucket, so it must survive every explanation, incident and report that
/// carries it; the default serializer throws on it. Reads both spellings back. Applies to <c>double?</c> too.
/// </summary>
internal sealed class SignalNumberJsonConverter : JsonConverter<double>
{
    /// <summary>Options with this converter, for the anonymous shapes that carry signal values.</summary>
    public static JsonSerializerOptions Options { get; } = With(new JsonSerializerOptions());

    /// <summary>Adds the converter to <paramref name="options"/> and returns them (for initialisers).</summary>
    public static JsonSerializerOptions With(JsonSerializerOptions options)
    {
        options.Converters.Add(new SignalNumberJsonConverter());
        return options;
    }

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text switch
        {
            "+Inf" or "Inf" or "Infinity" => double.PositiveInfinity,
            "-Inf" or "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw new JsonException($"expected a number, \"+Inf\", \"-Inf\" or \"NaN\", got {reader.TokenType} {text}"),
        };
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            // Raw, because the default encoder would write "+" as "\u002B", which a reader of the JSON should not meet.
            writer.WriteRawValue(double.IsNaN(value) ? "\"NaN\"" : $"\"{SignalValue.FormatNumber(value)}\"", skipInputValidation: true);
        }
    }
}
