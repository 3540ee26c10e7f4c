using System.Globalization;

namespace Watchdog.Actions.Flags;

/// <summary>
/// The percentages a reduction goes through (<c>steps: 50,25,10,5,0</c>, the runbook's): each 0–100, strictly
/// decreasing, so a plan can only ever lower a flag's exposure.
/// </summary>
internal static class ReductionSteps
{
    public const string Default = "50,25,10,5,0";

    public static IReadOnlyList<int>? TryParse(string text, out string? error)
    {
        var steps = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part.TrimEnd('%').TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var percent) || percent > 100)
            {
                error = $"'{part}' is not a percentage from 0 to 100";
                return null;
            }

            if (steps.Count > 0 && percent >= steps[^1])
            {
                error = $"must go strictly down ({steps[^1]} then {percent}): a reduction never raises a flag";
                return null;
            }

            steps.Add(percent);
        }

        error = null;
        return steps;
    }

    /// <summary>The steps strictly below the flag's current percentage: from 30 % the first is 25, from 50 % it is 25 too.</summary>
    public static IReadOnlyList<int> Below(IReadOnlyList<int> steps, int current) => [.. steps.Where(s => s < current)];
}
