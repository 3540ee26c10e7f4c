namespace Watchdog.IntegrationTests.Signals.Alerts;

/// <summary>One webhook call the intake received, and how it was answered.</summary>
/// <param name="At">When it arrived, by the system clock.</param>
/// <param name="AlertNames">The <c>alertname</c> labels of its alerts.</param>
/// <param name="Status">The notification's status, <c>firing</c> or <c>resolved</c>.</param>
/// <param name="Answer">The HTTP status answered.</param>
/// <param name="AnswerBody">The body answered, e.g. the receipt.</param>
public sealed record IntakeDelivery(DateTimeOffset At, IReadOnlyList<string> AlertNames, string Status, string? UserAgent, int Answer, string AnswerBody);
