using Watchdog.Rules;

namespace Watchdog.Records;

internal static class IncidentStatuses
{
    public static string ToName(this IncidentStatus status) => KebabNames<IncidentStatus>.Of(status);

    public static IncidentStatus Parse(string name) => KebabNames<IncidentStatus>.Parse(name, "incident status");
}
