namespace Watchdog.Tests.TestSupport;

/// <summary>One scripted answer of a <see cref="LoopbackReceiver"/>: a status, and a Retry-After header when set.</summary>
public sealed record ReceiverAnswer(int Status)
{
    /// <summary>Sent as a Retry-After header, in whole seconds, when set.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
