using Watchdog.Rules;

namespace Watchdog.Records;

internal static class ActionRunStatuses
{
    public static string ToName(this ActionRunStatus status) => KebabNames<ActionRunStatus>.Of(status);

    public static ActionRunStatus Parse(string name) => KebabNames<ActionRunStatus>.Parse(name, "action run status");

    /// <summary>A run in one of these states will not change any more.</summary>
    public static bool IsFinal(this ActionRunStatus status) =>
        status is not (ActionRunStatus.AwaitingApproval or ActionRunStatus.Running);
}
