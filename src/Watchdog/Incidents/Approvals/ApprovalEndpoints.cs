using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// <c>GET /api/v1/approvals[?status=pending]</c>, <c>GET /api/v1/approvals/{id}</c> (the link approval messages carry),
/// <c>POST /api/v1/approvals/{id}/approve</c> and <c>/reject</c>,
/// all behind a bearer token. JSON is camelCase (see <see cref="ApprovalJson"/>).
/// </summary>
internal static class ApprovalEndpoints
{
    private const int MaxCommentLength = 2000;

    public static IEndpointRouteBuilder MapApprovalEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var approvals = endpoints.MapGroup("/api/v1/approvals");
        approvals.MapGet("", ListAsync);
        approvals.MapGet("/{id:long}", GetAsync);
        approvals.MapPost("/{id:long}/approve", (long id, HttpContext http) => DecideAsync(id, approve: true, http));
        approvals.MapPost("/{id:long}/reject", (long id, HttpContext http) => DecideAsync(id, approve: false, http));
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string? status, IWatchdogStore store)
    {
        if (ApiAuthentication.Authenticate(http) is null)
        {
            return ApiAuthentication.Unauthorized(http);
        }

        ApprovalStatus? filter = null;
        if (status is not null)
        {
            if (!KebabNames<ApprovalStatus>.TryParse(status, out var parsed))
            {
                return Error(StatusCodes.Status400BadRequest, $"unknown status '{status}'; expected one of {string.Join(", ", KebabNames<ApprovalStatus>.All)}");
            }

            filter = parsed;
        }

        var list = await store.ListApprovalsAsync(filter, http.RequestAborted);
        return Results.Json(list.Select(ApprovalView.Of).ToArray(), ApprovalJson.Options);
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, IWatchdogStore store)
    {
        if (ApiAuthentication.Authenticate(http) is null)
        {
            return ApiAuthentication.Unauthorized(http);
        }

        return await store.GetApprovalAsync(id, http.RequestAborted) is { } approval
            ? Results.Json(ApprovalView.Of(approval), ApprovalJson.Options)
            : Error(StatusCodes.Status404NotFound, $"no approval {id}");
    }

    private static async Task<IResult> DecideAsync(long id, bool approve, HttpContext http)
    {
        // Authenticate before reading the body, so an anonymous caller cannot make the daemon read anything.
        if (ApiAuthentication.Authenticate(http) is not { } caller)
        {
            return ApiAuthentication.Unauthorized(http);
        }

        var (comment, bodyError) = await ReadCommentAsync(http.Request);
        if (bodyError is not null)
        {
            return Error(StatusCodes.Status400BadRequest, bodyError);
        }

        // Not the request's token: once a decision is committed the executor must hear of it even if the caller hangs up.
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var service = http.RequestServices.GetRequiredService<ApprovalService>();
        var decision = await service.DecideAsync(id, approve, caller, comment, stopping);
        return decision switch
        {
            { Outcome: ApprovalDecisionOutcome.NotFound } or { Approval: null } => Error(StatusCodes.Status404NotFound, $"no approval {id}"),
            { Outcome: ApprovalDecisionOutcome.Forbidden, Approval: var a } => Results.Json(
                new ApprovalApiError($"approval {id} needs {a.Required.ToName()} or above; {caller.Name} has {caller.Role.ToName()}", Required: a.Required.ToName()),
                ApprovalJson.Options,
                statusCode: StatusCodes.Status403Forbidden),
            { Outcome: ApprovalDecisionOutcome.Conflict, Approval: var a } => Results.Json(
                new ApprovalApiError($"approval {id} was already {KebabNames<ApprovalStatus>.Of(a.Status)} by {a.DecidedBy}", Approval: ApprovalView.Of(a)),
                ApprovalJson.Options,
                statusCode: StatusCodes.Status409Conflict),
            { Approval: var a } => Results.Json(ApprovalView.Of(a), ApprovalJson.Options),
        };
    }

    private static async Task<(string? Comment, string? Error)> ReadCommentAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        DecisionRequestBody? body;
        try
        {
            body = JsonSerializer.Deserialize<DecisionRequestBody>(text, ApprovalJson.Options);
        }
        catch (JsonException exception)
        {
            return (null, $"malformed JSON body: {exception.Message}");
        }

        var comment = body?.Comment?.Trim();
        return comment switch
        {
            null or "" => (null, null),
            { Length: > MaxCommentLength } => (null, $"comment is longer than {MaxCommentLength} characters"),
            _ => (comment, null),
        };
    }

    private static IResult Error(int statusCode, string message) =>
        Results.Json(new ApprovalApiError(message), ApprovalJson.Options, statusCode: statusCode);
}
