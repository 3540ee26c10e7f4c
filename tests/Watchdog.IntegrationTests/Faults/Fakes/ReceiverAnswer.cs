namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>How <see cref="RecordingReceiver"/> answers one request: a status after an optional delay.</summary>
public sealed record ReceiverAnswer(int Status)
{
    /// <summary>Waited before answering; ends early when the caller hangs up. <see cref="Timeout.InfiniteTimeSpan"/> never answers.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>When set, the answer's body is this many bytes, written in 1 MiB chunks as fast as the caller reads.</summary>
    public long? StreamedBytes { get; init; }

    public static ReceiverAnswer Ok { get; } = new(200);

    public static ReceiverAnswer Fail(int status) => new(status);

    /// <summary>Takes the request and never answers (the caller's own timeout, or its death, ends it).</summary>
    public static ReceiverAnswer Hang { get; } = Ok with { Delay = Timeout.InfiniteTimeSpan };
}
