using Microsoft.AspNetCore.Http;

namespace Watchdog.Incidents.Reports;

internal static class QueryValues
{
    /// <summary>The one value of a query parameter, or null when absent; a repeated parameter is an error, not a guess.</summary>
    public static string? Single(IQueryCollection query, string name, List<string> errors)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors.Add($"{name} given {values.Count} times; give it once");
            return null;
        }

        return values[0] ?? "";
    }
}
