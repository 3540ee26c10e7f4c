namespace Watchdog.Incidents.Approvals;

/// <summary>
/// The API's names of <see cref="ApprovalStatus"/>. Not extension methods, so they cannot clash with a
/// <c>ToName</c> the store may declare for the same enum.
/// </summary>
internal static class ApprovalStatusNames
{
    private static readonly string[] Names = ["pending", "approved", "rejected", "auto-approved"];

    public static IReadOnlyList<string> All => Names;

    public static string Of(ApprovalStatus status) => Names[(int)status];

    public static bool TryParse(string? name, out ApprovalStatus status)
    {
        var index = name is null ? -1 : Array.IndexOf(Names, name);
        status = index < 0 ? default : (ApprovalStatus)index;
        return index >= 0;
    }
}
