using System.Globalization;

namespace Watchdog.Incidents.Approvals;

/// <summary>Outbox keys of approval notifications.</summary>
internal static class ApprovalEventKeys
{
    /// <summary>One key per approval and level: a level reached again after a restart is not queued again.</summary>
    public static string Level(long approvalId, int level) =>
        string.Create(CultureInfo.InvariantCulture, $"approval/{approvalId}/level/{level}");
}
