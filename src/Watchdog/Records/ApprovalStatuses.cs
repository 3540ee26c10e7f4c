using Watchdog.Rules;

namespace Watchdog.Records;

internal static class ApprovalStatuses
{
    public static string ToName(this ApprovalStatus status) => KebabNames<ApprovalStatus>.Of(status);

    public static ApprovalStatus Parse(string name) => KebabNames<ApprovalStatus>.Parse(name, "approval status");
}
