using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Reads the body of <c>/api/v1/query</c> into a <see cref="PrometheusQueryResult"/>: a vector or a scalar becomes
/// series, a <c>status:error</c> body Prometheus's own message, and anything else (a proxy's HTML page, a
/// matrix, a JSON shape Prometheus does not send) an error that says what arrived.
/// </summary>
internal static class PrometheusResponseParser
{
    private const int SnippetLength = 120;

    public static PrometheusQueryResult Parse(HttpStatusCode status, string? mediaType, ReadOnlyMemory<byte> body)
    {
        var code = (int)status;
        var transient = code == 429 || code >= 500;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return PrometheusQueryResult.Failure(
                $"Prometheus answered HTTP {code} ({mediaType ?? "no content type"}), not JSON: {Snippet(body.Span)}", transient);
        }

        using (document)
        {
            return Read(document.RootElement, code, transient);
        }
    }

    private static PrometheusQueryResult Read(JsonElement root, int code, bool transient)
    {
        if (root.ValueKind != JsonValueKind.Object || !TryGetString(root, "status", out var status))
        {
            return Unexpected($"HTTP {code} with JSON but no \"status\"", transient);
        }

        if (status == "error")
        {
            var errorType = TryGetString(root, "errorType", out var type) ? type : "error";
            var message = TryGetString(root, "error", out var text) ? text : "(no message)";
            return PrometheusQueryResult.Failure($"{errorType}: {message}", transient);
        }

        if (status != "success" || code is < 200 or > 299)
        {
            return Unexpected($"HTTP {code} with status \"{status}\"", transient);
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !TryGetString(data, "resultType", out var resultType) || !data.TryGetProperty("result", out var result))
        {
            return Unexpected("a success without data.resultType and data.result", transient: false);
        }

        return resultType switch
        {
            "vector" => ReadVector(result),
            "scalar" => TryReadSample(result, out var value)
                ? PrometheusQueryResult.Of([PrometheusSeries.Scalar(value)])
                : Unexpected("a scalar that is not [time, \"value\"]", transient: false),
            _ => PrometheusQueryResult.Failure(
                $"the query returned a {resultType}; a signal query must return an instant vector or a scalar", transient: false),
        };
    }

    private static PrometheusQueryResult ReadVector(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            return Unexpected("a vector whose result is not an array", transient: false);
        }

        var series = new List<PrometheusSeries>(result.GetArrayLength());
        foreach (var item in result.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("metric", out var metric) || metric.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("value", out var sample) || !TryReadSample(sample, out var value))
            {
                return Unexpected("a vector item without metric and value [time, \"value\"]", transient: false);
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in metric.EnumerateObject())
            {
                if (label.Value.ValueKind != JsonValueKind.String)
                {
                    return Unexpected($"label {label.Name} is not a string", transient: false);
                }

                labels[label.Name] = label.Value.GetString()!;
            }

            series.Add(new PrometheusSeries(labels, value));
        }

        return PrometheusQueryResult.Of(series);
    }

    // A sample is [unix seconds, "value"]; the value is always a string, so that NaN and the infinities fit.
    private static bool TryReadSample(JsonElement sample, out double value)
    {
        value = double.NaN;
        return sample.ValueKind == JsonValueKind.Array
            && sample.GetArrayLength() == 2
            && sample[0].ValueKind == JsonValueKind.Number
            && sample[1].ValueKind == JsonValueKind.String
            && TryParseValue(sample[1].GetString()!, out value);
    }

    /// <summary>Prometheus's spelling of a float: Go's, with <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.</summary>
    public static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString()!;
            return true;
        }

        value = "";
        return false;
    }

    private static PrometheusQueryResult Unexpected(string what, bool transient) =>
        PrometheusQueryResult.Failure($"unexpected answer from Prometheus: {what}", transient);

    // Enough of a proxy's page to recognise it ("<html><head><title>502 Bad Gateway..."), on one line.
    private static string Snippet(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "(empty body)";
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, SnippetLength * 4)]);
        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return oneLine.Length <= SnippetLength ? oneLine : oneLine[..SnippetLength] + "…";
    }
}
