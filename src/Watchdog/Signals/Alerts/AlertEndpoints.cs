using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Watchdog.Configuration;
using Watchdog.Http;
using Watchdog.Records;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// <c>POST /api/v1/alerts</c>: Alertmanager's webhook (version 4). 200 only once every alert is committed; 400 for
/// a body that is not a version 4 payload (Alertmanager does not retry it); 401 without the configured
/// credentials; 413 over <see cref="AlertmanagerIntakeOptions.MaxBodyBytes"/>; 503 when the store fails, so that
/// Alertmanager retries. <c>GET /api/v1/alerts[?limit=n][&amp;before=cursor]</c> lists received alerts, newest
/// first; when more follow, a <c>Link: &lt;...&gt;; rel="next"</c> header names the next page (the body stays an
/// array). Both check the same credentials.
/// </summary>
internal static class AlertEndpoints
{
    public const string Path = "/api/v1/alerts";
    public const int DefaultListLimit = 100;
    public const int MaxListLimit = 1000;

    // Error messages quote what was sent ('x'); the API's encoder keeps the quotes readable.
    private static readonly AlertJsonContext Errors = new(ApiJson.Answering(AlertJsonContext.Default.Options));

    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReceiveAsync);
        endpoints.MapGet(Path, ListAsync);
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        AlertIntakeAuthenticator authenticator,
        AlertmanagerIntakeOptions options,
        AlertIntake intake,
        ILogger<AlertIntake> logger)
    {
        // Before the body is read, so that a caller without credentials cannot make the daemon read anything.
        if (!authenticator.IsAllowed(http.Request.Headers.Authorization))
        {
            return Unauthorized(http, authenticator, logger);
        }

        var body = await AlertRequestBody.ReadAsync(http.Request, options.MaxBodyBytes, http.RequestAborted);
        if (body is null)
        {
            return Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxBodyBytes} bytes (sources.alertmanager.max_body_bytes)");
        }

        var parse = AlertWebhookParser.Parse(body);
        if (!parse.IsValid)
        {
            return Refuse(logger, StatusCodes.Status400BadRequest, parse.Error!);
        }

        try
        {
            var receipt = await intake.IngestAsync(parse.Alerts, http.RequestAborted);
            return Results.Json(receipt, AlertJsonContext.Default.AlertIntakeReceipt);
        }
        catch (Exception exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            // By design, any failure: the transaction rolled back, so nothing of this call is stored, and a 5xx is
            // the one answer that makes Alertmanager send the notification again.
            AlertLog.StoreFailed(logger, parse.Alerts.Count, exception);
            return Results.Json(
                new AlertApiError("the alerts could not be stored; nothing was kept, send them again"),
                Errors.AlertApiError,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> ListAsync(
        HttpContext http,
        string? limit,
        string? before,
        AlertIntakeAuthenticator authenticator,
        IWatchdogStore store,
        ILogger<AlertIntake> logger)
    {
        // Behind http.read_requires_token the reader's API token was checked already; it is not the intake's credential.
        var readBehindToken = http.RequestServices.GetService<WatchdogOptions>()?.Http.ReadRequiresToken == true;
        if (!readBehindToken && !authenticator.IsAllowed(http.Request.Headers.Authorization))
        {
            return Unauthorized(http, authenticator, logger);
        }

        var count = DefaultListLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxListLimit))
        {
            return Error(StatusCodes.Status400BadRequest, $"limit: expected a whole number from 1 to {MaxListLimit}, got '{limit}'");
        }

        AlertCursor cursor = default;
        if (before is not null && !AlertCursor.TryParse(before, out cursor))
        {
            return Error(StatusCodes.Status400BadRequest, $"before: expected the cursor of a Link rel=\"next\" header (<received ms>-<id>), got '{before}'");
        }

        // One more than asked tells whether a next page exists, so a script never follows a link to an empty page.
        var alerts = before is null
            ? await store.ListAlertsAsync(count + 1, http.RequestAborted)
            : await store.ListAlertsAsync(count + 1, cursor, http.RequestAborted);
        if (alerts.Count > count)
        {
            var last = alerts[count - 1];
            var next = $"{Path}?limit={count}&before={new AlertCursor(last.ReceivedAt, last.Id)}";
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return Results.Json(alerts.Take(count).Select(AlertView.Of).ToArray(), AlertJsonContext.Default.AlertViewArray);
    }

    private static IResult Unauthorized(HttpContext http, AlertIntakeAuthenticator authenticator, ILogger logger)
    {
        AlertLog.Unauthenticated(logger, http.Request.Method, http.Request.Path);
        http.Response.Headers.WWWAuthenticate = new StringValues(authenticator.Challenges);
        return Error(StatusCodes.Status401Unauthorized, "missing or wrong credentials (sources.alertmanager: bearer_token or basic_auth)");
    }

    private static IResult Refuse(ILogger logger, int status, string reason)
    {
        AlertLog.Refused(logger, status, reason);
        return Error(status, reason);
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new AlertApiError(message), Errors.AlertApiError, statusCode: status);
}
