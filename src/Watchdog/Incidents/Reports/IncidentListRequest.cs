using System.Globalization;
using Microsoft.AspNetCore.Http;
using Watchdog.Records;

namespace Watchdog.Incidents.Reports;

/// <summary>Reads <c>?status=open|closed&amp;target=x&amp;limit=n</c>, reporting every bad value at once.</summary>
internal static class IncidentListRequest
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IncidentQuery? TryParse(IQueryCollection query, List<string> errors)
    {
        IncidentStatus? status = null;
        switch (QueryValues.Single(query, "status", errors))
        {
            case null:
                break;
            case "open":
                status = IncidentStatus.Open;
                break;
            case "closed":
                status = IncidentStatus.Closed;
                break;
            case var other:
                errors.Add($"status must be 'open' or 'closed', got '{other}'");
                break;
        }

        var target = QueryValues.Single(query, "target", errors);
        if (target is not null && string.IsNullOrWhiteSpace(target))
        {
            errors.Add("target must not be empty");
        }

        var limit = DefaultLimit;
        if (QueryValues.Single(query, "limit", errors) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add($"limit must be a whole number from 1 to {MaxLimit}, got '{limitText}'");
        }

        return errors.Count == 0 ? new IncidentQuery(status, target, Limit: limit) : null;
    }
}
