namespace Watchdog.Actions;

public static class StepStatuses
{
    private static readonly string[] Names = ["pending", "started", "succeeded", "failed", "interrupted", "skipped-dry-run", "not-run"];

    public static string ToName(this StepStatus status) => Names[(int)status];

    public static StepStatus Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? (StepStatus)index : throw new FormatException($"unknown step status '{name}'");
    }
}
