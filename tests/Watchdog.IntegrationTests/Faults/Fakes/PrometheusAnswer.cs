using System.Globalization;
using System.Text.Json;

namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>
/// What <see cref="FakePrometheus"/> answers to a query: a status, a content type and a body, after an optional
/// delay, or a body streamed slowly. The factories name the answers a real Prometheus (or a proxy in front of it)
/// gives on a bad night.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="Body">The body, written at once after <paramref name="Delay"/>.</param>
public sealed record PrometheusAnswer(int Status, string ContentType, string Body)
{
    private const string Json = "application/json";

    /// <summary>Waited before answering; ends early when the caller hangs up.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When set, the body is this many bytes (the <see cref="Body"/> as a prefix, then spaces), written in chunks over <see cref="StreamFor"/>.</summary>
    public long? StreamedBytes { get; init; }

    public TimeSpan StreamFor { get; init; }

    /// <summary>A vector of one series with the value as Prometheus spells it ("0.5", "NaN", "+Inf", "-Inf").</summary>
    public static PrometheusAnswer Vector(string value) => Series(("{}", value));

    public static PrometheusAnswer Vector(double value) => Vector(value.ToString("R", CultureInfo.InvariantCulture));

    public static PrometheusAnswer NaN { get; } = Vector("NaN");

    public static PrometheusAnswer PlusInfinity { get; } = Vector("+Inf");

    public static PrometheusAnswer MinusInfinity { get; } = Vector("-Inf");

    public static PrometheusAnswer EmptyVector { get; } = Success("vector", "[]");

    /// <summary>Two series where one was expected, e.g. a query that lost its <c>sum</c>.</summary>
    public static PrometheusAnswer SeveralSeries { get; } = Series(("{\"pod\":\"app-1\"}", "0.01"), ("{\"pod\":\"app-2\"}", "0.02"));

    /// <summary>A range vector's answer, as a query with <c>[5m]</c> and no function gets.</summary>
    public static PrometheusAnswer Matrix { get; } = Success("matrix", """[{"metric":{},"values":[[1700000000,"0.01"],[1700000015,"0.02"]]}]""");

    public static PrometheusAnswer StringResult { get; } = Success("string", """[1700000000,"0.01"]""");

    public static PrometheusAnswer Scalar(string value) => Success("scalar", $"[1700000000,\"{value}\"]");

    /// <summary>A proxy's error page in front of Prometheus (nginx's 502 by default).</summary>
    public static PrometheusAnswer Html(int status = 502) => new(
        status,
        "text/html",
        $"<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");

    /// <summary>Prometheus's own error body, e.g. 503 <c>unavailable</c>, 422 <c>execution</c>, 400 <c>bad_data</c>.</summary>
    public static PrometheusAnswer Error(int status, string errorType, string message) =>
        new(status, Json, $$"""{"status":"error","errorType":{{JsonSerializer.Serialize(errorType)}},"error":{{JsonSerializer.Serialize(message)}}}""");

    /// <summary>200 with a body that is not JSON at all (cut off mid-way).</summary>
    public static PrometheusAnswer Garbage { get; } = new(200, Json, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"val""");

    /// <summary>Answers <paramref name="inner"/> only after <paramref name="delay"/>.</summary>
    public static PrometheusAnswer Slow(PrometheusAnswer inner, TimeSpan delay) => inner with { Delay = delay };

    /// <summary>A body of <paramref name="bytes"/> bytes that never closes its JSON, written over <paramref name="duration"/>.</summary>
    public static PrometheusAnswer Streamed(long bytes, TimeSpan duration) =>
        new(200, Json, """{"status":"success","data":{"resultType":"vector","result":[""") { StreamedBytes = bytes, StreamFor = duration };

    private static PrometheusAnswer Series(params (string Labels, string Value)[] series) =>
        Success("vector", "[" + string.Join(',', series.Select(s => $$"""{"metric":{{s.Labels}},"value":[1700000000,"{{s.Value}}"]}""")) + "]");

    private static PrometheusAnswer Success(string resultType, string result) =>
        new(200, Json, $$$"""{"status":"success","data":{"resultType":"{{{resultType}}}","result":{{{result}}}}}""");
}
