using System.Globalization;
using System.Text.Json;

namespace Watchdog.Flags.Unleash;

/// <summary>
/// Reads <c>GET /api/admin/projects/{p}/features/{f}</c>: the flag's environments, each with <c>enabled</c> and its
/// strategies (<c>id</c>, <c>name</c>, <c>parameters.rollout</c>, which Unleash keeps as a string and never checks).
/// </summary>
internal static class UnleashFeatureParser
{
    /// <summary>One strategy as Unleash holds it; <see cref="RolloutText"/> is the raw <c>rollout</c> parameter, null without one.</summary>
    internal sealed record Strategy(string Id, string Name, string? RolloutText)
    {
        /// <summary>The rollout as a percentage when it is a whole number 0–100; "150" or "abc" are null.</summary>
        public int? Percent => int.TryParse(RolloutText, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent <= 100 ? percent : null;
    }

    internal sealed record Environment(string Name, bool Enabled, IReadOnlyList<Strategy> Strategies);

    /// <exception cref="JsonException">The answer is not a feature as Unleash 8 writes one.</exception>
    public static IReadOnlyList<Environment> Environments(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("environments", out var environments)
            || environments.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("no environments list");
        }

        var result = new List<Environment>();
        foreach (var environment in environments.EnumerateArray())
        {
            var strategies = new List<Strategy>();
            if (environment.TryGetProperty("strategies", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var strategy in list.EnumerateArray())
                {
                    strategies.Add(new Strategy(Text(strategy, "id"), Text(strategy, "name"), Rollout(strategy)));
                }
            }

            var enabled = environment.TryGetProperty("enabled", out var on) && on.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? on.GetBoolean()
                : throw new JsonException("an environment without enabled");
            result.Add(new Environment(Text(environment, "name"), enabled, strategies));
        }

        return result;
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new JsonException($"no {name}");

    // Stored as a string, but a number written through the API comes back as one too on some paths; both are read.
    private static string? Rollout(JsonElement strategy) =>
        strategy.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("rollout", out var rollout)
            ? rollout.ValueKind switch
            {
                JsonValueKind.String => rollout.GetString(),
                JsonValueKind.Number => rollout.GetRawText(),
                JsonValueKind.Null => null,
                _ => rollout.GetRawText(),
            }
            : null;
}
