namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>What <see cref="PrometheusStub"/> sends back: a status and a body, JSON unless said otherwise.</summary>
public sealed record StubAnswer(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>Sent as a Retry-After header (in seconds) when set.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static StubAnswer Vector(string result) =>
        new(200, $$$"""{"status":"success","data":{"resultType":"vector","result":[{{{result}}}]}}""");

    /// <summary>A vector of one series with the given labels (a JSON object's members) and value.</summary>
    public static StubAnswer OneSeries(string labels, string value) =>
        Vector($$$"""{"metric":{{{labels}}},"value":[1795324342.446,"{{{value}}}"]}""");

    public static StubAnswer Error(int status, string errorType, string message) =>
        new(status, $$"""{"status":"error","errorType":"{{errorType}}","error":"{{message}}"}""");
}
