namespace Watchdog.Rules;

public static class Authorities
{
    private static readonly string[] Names = ["automatic", "on-call", "team-lead", "cto"];

    public static string ToName(this Authority authority) => Names[(int)authority];

    public static bool TryParse(string name, out Authority authority)
    {
        var index = Array.IndexOf(Names, name);
        authority = index < 0 ? default : (Authority)index;
        return index >= 0;
    }

    public static IReadOnlyList<string> AllNames => Names;
}
