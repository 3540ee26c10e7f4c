namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>One query as <see cref="PrometheusStub"/> received it: the PromQL from the query string or the form.</summary>
public sealed record StubQuery(
    string Method,
    string Path,
    string? Query,
    string? Timeout,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers);
