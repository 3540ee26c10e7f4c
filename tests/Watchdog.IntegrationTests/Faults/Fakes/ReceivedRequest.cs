namespace Watchdog.IntegrationTests.Faults.Fakes;

/// <summary>One request <see cref="RecordingReceiver"/> took, and what it answered.</summary>
/// <param name="Path">The path it was sent to, without the leading slash.</param>
/// <param name="IdempotencyKey">Its <c>Idempotency-Key</c> header, as Watchdog sends with notifications and webhook steps.</param>
/// <param name="Answered">The status answered; null while it hangs, or when the caller hung up first.</param>
/// <param name="Query">The query string as sent, with its <c>?</c>; empty when there was none.</param>
public sealed record ReceivedRequest(DateTimeOffset At, string Path, string Method, string Body, string? IdempotencyKey, int? Answered, string Query = "");
