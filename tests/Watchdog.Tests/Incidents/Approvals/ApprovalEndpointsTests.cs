using System.Net;
using System.Text.Json;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Approvals;

/// <summary>The approval API on a real Kestrel on loopback, wired with the same extensions the daemon uses.</summary>
public sealed class ApprovalEndpointsTests
{
    [Fact]
    public async Task Approve_WithAWrongToken_Is401WithWwwAuthenticateBearerAndChangesNothing()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.OnCall);

        using var response = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/approve", ApprovalApiServer.WrongToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldHaveSingleItem().Scheme.ShouldBe("Bearer");
        (await api.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Pending);
        api.Executor.Approved.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("POST", "/approve")]
    [InlineData("POST", "/reject")]
    [InlineData("GET", "")]
    [InlineData("GET", "/{id}")]
    public async Task EveryEndpoint_WithoutAToken_Is401(string method, string suffix)
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.OnCall);
        var path = suffix switch
        {
            "" => "/api/v1/approvals",
            "/{id}" => $"/api/v1/approvals/{approval.Id}",
            _ => $"/api/v1/approvals/{approval.Id}{suffix}",
        };

        using var response = await api.SendAsync(new HttpMethod(method), path, token: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldHaveSingleItem().Scheme.ShouldBe("Bearer");
        (await api.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Pending);
    }

    [Fact]
    public async Task Get_OneApproval_TheLinkInTheMessages_IsItsJson_AndAnUnknownIdIs404()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.TeamLead);
        var link = api.Outbox.Queued.ShouldHaveSingleItem().Message.Fields.Single(f => f.Key == "Link").Value;
        link.ShouldBe($"{ApprovalApiServer.PublicUrl}/api/v1/approvals/{approval.Id}"); // http.public_url, absolute

        using var response = await api.SendAsync(HttpMethod.Get, link[ApprovalApiServer.PublicUrl.Length..], ApprovalApiServer.OnCallToken);
        using var unknown = await api.SendAsync(HttpMethod.Get, "/api/v1/approvals/9999", ApprovalApiServer.OnCallToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("id").GetInt64().ShouldBe(approval.Id);
        body.GetProperty("status").GetString().ShouldBe("pending");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await JsonAsync(unknown)).GetProperty("error").GetString().ShouldBe("no approval 9999");
    }

    [Fact]
    public async Task Approve_WithARoleBelowTheRequired_Is403NamingTheRequiredAuthority()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.TeamLead);

        using var response = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/approve", ApprovalApiServer.OnCallToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var body = await JsonAsync(response);
        body.GetProperty("required").GetString().ShouldBe("team-lead");
        body.GetProperty("error").GetString()!.ShouldContain("needs team-lead or above");
        (await api.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Pending);
    }

    [Fact]
    public async Task Approve_AnUnknownId_Is404()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/approvals/9999/approve", ApprovalApiServer.LeadToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await JsonAsync(response)).GetProperty("error").GetString().ShouldBe("no approval 9999");
    }

    [Fact]
    public async Task Approve_WithTheRequiredRole_Is200WithTheApprovalAsCamelCaseJsonAndStartsTheRun()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.TeamLead);

        using var response = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/approve", ApprovalApiServer.LeadToken, """{"comment": "go"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("id").GetInt64().ShouldBe(approval.Id);
        body.GetProperty("runId").GetInt64().ShouldBe(approval.RunId);
        body.GetProperty("incidentId").GetInt64().ShouldBe(approval.IncidentId);
        body.GetProperty("target").GetString().ShouldBe("checkout");
        body.GetProperty("action").GetString().ShouldBe("rollback");
        body.GetProperty("required").GetString().ShouldBe("team-lead");
        body.GetProperty("status").GetString().ShouldBe("approved");
        body.GetProperty("decidedBy").GetString().ShouldBe("lead");
        body.GetProperty("comment").GetString().ShouldBe("go");
        body.GetProperty("requestedAt").GetDateTimeOffset().ShouldBe(approval.RequestedAt);
        body.GetProperty("escalationLevel").GetInt32().ShouldBe(0);
        api.Executor.Approved.ShouldHaveSingleItem().Id.ShouldBe(approval.Id);
    }

    [Fact]
    public async Task Approve_Twice_Is200BothTimesWithTheFirstDecisionAndTheExecutorHearsOnce()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.OnCall);
        var path = $"/api/v1/approvals/{approval.Id}/approve";

        using var first = await api.SendAsync(HttpMethod.Post, path, ApprovalApiServer.OnCallToken);
        using var second = await api.SendAsync(HttpMethod.Post, path, ApprovalApiServer.LeadToken);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(second);
        body.GetProperty("status").GetString().ShouldBe("approved");
        body.GetProperty("decidedBy").GetString().ShouldBe("pager");
        api.Executor.Approved.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Reject_AfterApprove_Is409WithTheStandingApproval()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.OnCall);
        using var approve = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/approve", ApprovalApiServer.OnCallToken);

        using var reject = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/reject", ApprovalApiServer.LeadToken);

        reject.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var body = await JsonAsync(reject);
        body.GetProperty("error").GetString().ShouldBe($"approval {approval.Id} was already approved by pager");
        body.GetProperty("approval").GetProperty("status").GetString().ShouldBe("approved");
        api.Executor.Rejected.ShouldBeEmpty();
    }

    [Fact]
    public async Task Reject_WithTheRequiredRole_Is200AndTellsTheExecutorToStopThePlan()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.TeamLead);

        using var response = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/reject", ApprovalApiServer.LeadToken, """{"comment":"fix forward"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("status").GetString().ShouldBe("rejected");
        body.GetProperty("comment").GetString().ShouldBe("fix forward");
        api.Executor.Rejected.ShouldHaveSingleItem().Id.ShouldBe(approval.Id);
        api.Executor.Approved.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"comment": """, "malformed JSON body")]
    [InlineData("""{"comment": 5}""", "malformed JSON body")]
    [InlineData("""{"coment": "typo"}""", "malformed JSON body")]
    [InlineData("not json", "malformed JSON body")]
    public async Task Approve_WithAMalformedBody_Is400WithTheParseErrorAndLeavesItPending(string json, string error)
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var approval = await api.RequestAsync(Authority.OnCall);

        using var response = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{approval.Id}/approve", ApprovalApiServer.OnCallToken, json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = (await JsonAsync(response)).GetProperty("error").GetString()!;
        message.ShouldStartWith(error);
        message.Length.ShouldBeGreaterThan(error.Length + 5);   // carries the parser's own explanation
        (await api.StoredAsync(approval.Id)).Status.ShouldBe(ApprovalStatus.Pending);
        api.Executor.Approved.ShouldBeEmpty();
    }

    [Fact]
    public async Task List_WithStatusPending_ListsOnlyThePendingApprovalsOldestFirst()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var decided = await api.RequestAsync(Authority.OnCall, "search");
        using var approve = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{decided.Id}/approve", ApprovalApiServer.OnCallToken);
        var first = await api.RequestAsync(Authority.OnCall, "checkout");
        api.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await api.RequestAsync(Authority.Cto, "payments");

        using var pending = await api.SendAsync(HttpMethod.Get, "/api/v1/approvals?status=pending", ApprovalApiServer.OnCallToken);
        using var all = await api.SendAsync(HttpMethod.Get, "/api/v1/approvals", ApprovalApiServer.OnCallToken);
        using var unknown = await api.SendAsync(HttpMethod.Get, "/api/v1/approvals?status=maybe", ApprovalApiServer.OnCallToken);

        pending.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonAsync(pending)).EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ShouldBe([first.Id, second.Id]);
        (await JsonAsync(all)).GetArrayLength().ShouldBe(3);
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(unknown)).GetProperty("error").GetString()!.ShouldContain("pending, approved, rejected, auto-approved");
    }

    [Fact]
    public async Task NoResponseOrLogLine_EverContainsAToken()
    {
        await using var api = await ApprovalApiServer.StartAsync();
        var lead = await api.RequestAsync(Authority.TeamLead, "checkout");
        var onCall = await api.RequestAsync(Authority.OnCall, "search");
        string[] tokens = [ApprovalApiServer.OnCallToken, ApprovalApiServer.LeadToken, ApprovalApiServer.WrongToken];

        foreach (var token in tokens)
        {
            using var list = await api.SendAsync(HttpMethod.Get, "/api/v1/approvals", token);
            using var forbiddenOrApproved = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{lead.Id}/approve", token);
            using var missing = await api.SendAsync(HttpMethod.Post, "/api/v1/approvals/9999/reject", token);
            using var pasted = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{onCall.Id}/reject", token, $$"""{"comment": {{token}}}""");
        }

        using var headerOnly = await api.SendAsync(HttpMethod.Post, $"/api/v1/approvals/{onCall.Id}/approve", token: null, authorization: $"Token {ApprovalApiServer.LeadToken}");

        api.Responses.Count.ShouldBe(13);
        api.Responses.ShouldContain(r => r.StartsWith("200", StringComparison.Ordinal));
        api.Responses.ShouldContain(r => r.StartsWith("401", StringComparison.Ordinal));
        api.Responses.ShouldContain(r => r.StartsWith("403", StringComparison.Ordinal));
        api.Logs.Logger.Entries.ShouldNotBeEmpty();
        foreach (var token in tokens)
        {
            api.Responses.ShouldAllBe(r => !r.Contains(token, StringComparison.Ordinal));
            api.Logs.Logger.Entries.ShouldAllBe(e => !LogText(e).Contains(token, StringComparison.Ordinal));
        }
    }

    private static string LogText(LogEntry entry) =>
        $"{entry.Message} {string.Join(' ', entry.Fields.Select(f => $"{f.Key}={f.Value}"))} {entry.Exception}";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
