using System.Collections.Frozen;
using System.Text;

namespace Watchdog.Rules;

/// <summary>
/// The names an enum's members have in configuration, the API and the store: each member's own name in kebab case
/// (<c>ScaleThenRollback</c> is <c>scale-then-rollback</c>, <c>OnCall</c> is <c>on-call</c>). Derived once from the enum,
/// so no hand-kept table indexed by position can fall out of step when a member is added or moved.
/// </summary>
internal static class KebabNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly FrozenDictionary<TEnum, string> ByValue = Values.ToFrozenDictionary(v => v, v => Kebab(v.ToString()));
    private static readonly FrozenDictionary<string, TEnum> ByName = Values.ToFrozenDictionary(v => ByValue[v], v => v, StringComparer.Ordinal);

    /// <summary>Every name, in the order the members are declared.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Values.Select(v => ByValue[v])];

    public static string Of(TEnum value) =>
        ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");

    public static bool TryParse(string? name, out TEnum value)
    {
        if (name is not null && ByName.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <param name="what">Named in the error, e.g. "step status".</param>
    public static TEnum Parse(string name, string what) =>
        TryParse(name, out var value) ? value : throw new FormatException($"unknown {what} '{name}'");

    private static string Kebab(string member)
    {
        var builder = new StringBuilder(member.Length + 4);
        for (var i = 0; i < member.Length; i++)
        {
            var c = member[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(member[i - 1]))
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
