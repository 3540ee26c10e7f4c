using Watchdog.Records;

namespace Watchdog.Telemetry;

/// <summary>The <c>result</c> label of <c>watchdog_actions_total</c>: four values, whatever a plug-in reports.</summary>
internal static class ActionResults
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Refused = "refused";
    public const string Interrupted = "interrupted";

    /// <param name="reason">The run's reason; a step that refused (known bad revision) says so with <c>refused:</c>.</param>
    public static string Of(ActionRunStatus status, string? reason) => status switch
    {
        ActionRunStatus.Succeeded => Succeeded,
        ActionRunStatus.Interrupted => Interrupted,
        _ when reason?.Contains("refused:", StringComparison.Ordinal) == true => Refused,
        _ => Failed,
    };
}
