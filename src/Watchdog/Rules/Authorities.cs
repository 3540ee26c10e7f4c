namespace Watchdog.Rules;

internal static class Authorities
{
    public static string ToName(this Authority authority) => KebabNames<Authority>.Of(authority);

    public static bool TryParse(string name, out Authority authority) => KebabNames<Authority>.TryParse(name, out authority);

    public static IReadOnlyList<string> AllNames => KebabNames<Authority>.All;
}
