namespace Watchdog.Incidents;

public static class IncidentStatuses
{
    private static readonly string[] Names = ["open", "closed"];

    public static string ToName(this IncidentStatus status) => Names[(int)status];

    public static IncidentStatus Parse(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? (IncidentStatus)index : throw new FormatException($"unknown incident status '{name}'");
    }
}
