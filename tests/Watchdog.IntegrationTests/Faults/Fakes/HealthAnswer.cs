namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>What one path of <see cref="FakeHealthEndpoint"/> answers: a status and a body, after an optional delay.</summary>
public sealed record HealthAnswer(int Status, string Body)
{
    /// <summary>Waited before answering; ends early when the caller hangs up. <see cref="Timeout.InfiniteTimeSpan"/> never answers.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When set, the body is this many bytes ("ok" and then spaces), written in 1 MiB chunks as fast as the caller reads.</summary>
    public long? StreamedBytes { get; init; }

    public static HealthAnswer Ok { get; } = new(200, "ok");

    /// <summary>A 200 whose body is <paramref name="bytes"/> long: an endpoint that dumps a heap or a log as its health page.</summary>
    public static HealthAnswer Streamed(long bytes) => Ok with { StreamedBytes = bytes };

    public static HealthAnswer Failing(int status) => new(status, $"status {status}");

    /// <summary>200 with a body that does not say what a healthy one says (e.g. <c>degraded</c> where <c>ok</c> is expected).</summary>
    public static HealthAnswer WrongBody(string body) => new(200, body);

    public static HealthAnswer Slow(TimeSpan delay) => Ok with { Delay = delay };

    /// <summary>Accepts the connection and never answers.</summary>
    public static HealthAnswer Hang { get; } = Ok with { Delay = Timeout.InfiniteTimeSpan };
}
