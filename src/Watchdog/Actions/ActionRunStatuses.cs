namespace Watchdog.Actions;

public static class ActionRunStatuses
{
    private static readonly string[] Names = ["awaiting-approval", "running", "succeeded", "failed", "rejected", "interrupted", "dry-run", "skipped"];

    public static string ToName(this ActionRunStatus status) => Names[(int)status];

    public static ActionRunStatus Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? (ActionRunStatus)index : throw new FormatException($"unknown action run status '{name}'");
    }

    /// <summary>A run in one of these states will not change any more.</summary>
    public static bool IsFinal(this ActionRunStatus status) =>
        status is not (ActionRunStatus.AwaitingApproval or ActionRunStatus.Running);
}
