namespace Watchdog.Incidents;

public static class ApprovalStatuses
{
    private static readonly string[] Names = ["pending", "approved", "rejected", "auto-approved"];

    public static string ToName(this ApprovalStatus status) => Names[(int)status];

    public static ApprovalStatus Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? (ApprovalStatus)index : throw new FormatException($"unknown approval status '{name}'");
    }
}
