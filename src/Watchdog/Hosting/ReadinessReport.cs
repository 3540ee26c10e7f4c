namespace Watchdog.Hosting;

/// <summary>The body of <c>GET /readyz</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>not ready</c>.</param>
/// <param name="Reason">Why it is not ready; null when ready.</param>
/// <param name="CompletedCycles">How many watch cycles have completed.</param>
internal sealed record ReadinessReport(string Status, string? Reason, long CompletedCycles);
