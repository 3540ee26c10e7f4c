using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Incidents.Reports.Json;
using Watchdog.Incidents.Stats;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Reports;

/// <summary>
/// <c>GET /api/v1/incidents</c>, <c>GET /api/v1/incidents/{id}</c> (JSON, or Markdown by <c>Accept: text/markdown</c>
/// or <c>?format=md</c>) and <c>GET /api/v1/stats?window=30d</c>. Needs <see cref="ReportsServiceCollectionExtensions.AddWatchdogReports"/>.
/// </summary>
internal static class IncidentEndpoints
{
    public const string MarkdownContentType = "text/markdown; charset=utf-8";

    // Error messages quote what was sent ('x'); the API's encoder keeps the quotes readable.
    private static readonly ReportsJsonContext Errors = new(ApiJson.Answering(ReportsJsonContext.Default.Options));

    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/v1/incidents", ListIncidentsAsync);
        endpoints.MapGet("/api/v1/incidents/{id}", GetIncidentAsync);
        endpoints.MapGet("/api/v1/stats", GetStatisticsAsync);
        return endpoints;
    }

    private static async Task<IResult> ListIncidentsAsync(HttpRequest request, [FromServices] IWatchdogStore store, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (IncidentListRequest.TryParse(request.Query, errors) is not { } query)
        {
            return BadRequest(errors);
        }

        var incidents = await store.ListIncidentsAsync(query, cancellationToken);
        IReadOnlyList<IncidentDocument> documents = [.. incidents.Select(IncidentReportJson.ToDocument)];
        return Results.Json(documents, ReportsJsonContext.Default.IReadOnlyListIncidentDocument);
    }

    private static async Task<IResult> GetIncidentAsync(
        string id,
        HttpRequest request,
        HttpResponse response,
        [FromServices] IncidentReportBuilder builder,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId) || incidentId < 1)
        {
            errors.Add($"incident id must be a positive whole number, got '{id}'");
        }

        var markdown = QueryValues.Single(request.Query, "format", errors) switch
        {
            null => PrefersMarkdown(request),
            "json" => false,
            "md" or "markdown" => true,
            var other => Invalid(errors, $"format must be 'json' or 'md', got '{other}'"),
        };
        if (errors.Count > 0)
        {
            return BadRequest(errors);
        }

        // The same URL answers in two formats; caches must key on Accept.
        response.Headers.Vary = HeaderNames.Accept;
        var report = await builder.BuildAsync(incidentId, cancellationToken);
        if (report is null)
        {
            return Results.Json(
                new ApiErrorDocument($"no incident {incidentId}"),
                Errors.ApiErrorDocument,
                statusCode: StatusCodes.Status404NotFound);
        }

        return markdown
            ? Results.Text(IncidentReportMarkdown.Render(report), MarkdownContentType)
            : Results.Json(IncidentReportJson.ToDocument(report), ReportsJsonContext.Default.IncidentReportDocument);
    }

    private static async Task<IResult> GetStatisticsAsync(
        HttpRequest request,
        [FromServices] RollbackStatisticsCalculator calculator,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var window = RollbackStatisticsCalculator.DefaultWindow;
        if (QueryValues.Single(request.Query, "window", errors) is { } text
            && (!DurationText.TryParse(text, out window) || window <= TimeSpan.Zero))
        {
            errors.Add($"window must be a positive duration like 30d, 12h or 90m, got '{text}'");
        }

        if (errors.Count > 0)
        {
            return BadRequest(errors);
        }

        var statistics = await calculator.ComputeAsync(window, cancellationToken);
        return Results.Json(RollbackStatisticsJson.ToDocument(statistics, window), ReportsJsonContext.Default.RollbackStatisticsDocument);
    }

    /// <summary>Markdown only when asked for by name and preferred over JSON; anything else (<c>*/*</c>, nothing) gets JSON.</summary>
    private static bool PrefersMarkdown(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        double Quality(string mediaType) => accepted
            .Where(m => m.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Quality ?? 1)
            .DefaultIfEmpty(-1)
            .Max();

        var markdown = Quality("text/markdown");
        return markdown > 0 && markdown > Quality("application/json");
    }

    private static bool Invalid(List<string> errors, string error)
    {
        errors.Add(error);
        return false;
    }

    private static IResult BadRequest(List<string> errors) => Results.Json(
        new ApiErrorDocument(string.Join("; ", errors)),
        Errors.ApiErrorDocument,
        statusCode: StatusCodes.Status400BadRequest);
}
