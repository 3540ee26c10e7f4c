using Watchdog.Rules;

namespace Watchdog.Records;

internal static class StepStatuses
{
    public static string ToName(this StepStatus status) => KebabNames<StepStatus>.Of(status);

    public static StepStatus Parse(string name) => KebabNames<StepStatus>.Parse(name, "step status");
}
