using System.Globalization;
using System.Text.Json;
using Watchdog.Flags;

namespace Watchdog.Actions.Flags;

/// <summary>How a flag's state reads on the incident: <c>checkout-v2 on at 50 %</c>, <c>checkout-v2 off</c>.</summary>
internal static class FlagStateText
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Describe(FlagState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Enabled)
        {
            return $"{state.Flag} off";
        }

        return state.HighestRollout is { } percent ? $"{state.Flag} on at {Percent(percent)}" : $"{state.Flag} on (no rollout percentage)";
    }

    public static string OnAt(string flag, int percent) => $"{flag} on at {Percent(percent)}";

    /// <summary><c> in production</c>; nothing for a provider without environments (the generic http API), not a dangling "in".</summary>
    public static string In(string environment) => string.IsNullOrEmpty(environment) ? "" : $" in {environment}";

    public static string Percent(int percent) => string.Create(CultureInfo.InvariantCulture, $"{percent} %");

    /// <summary>The state as saved on the incident before a change: every strategy, with or without a percentage.</summary>
    public static string ToJson(FlagState state) => JsonSerializer.Serialize(state, Json);
}
