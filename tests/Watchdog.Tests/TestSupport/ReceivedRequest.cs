namespace Watchdog.Tests.TestSupport;

/// <summary>One request as a <see cref="LoopbackReceiver"/> saw it.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? ContentType, string? IdempotencyKey, string Body);
