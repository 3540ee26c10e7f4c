using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Watchdog.Incidents.Reports;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class IncidentEndpointsTests
{
    [Fact]
    public async Task List_NoFilter_ReturnsIncidentSummariesNewestFirst()
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri("/api/v1/incidents", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.EnumerateArray().Select(i => i.GetProperty("target").GetString()).ShouldBe(["payments", "checkout"]);
        json.RootElement[1].GetProperty("durations").GetProperty("total").GetProperty("seconds").GetDouble().ShouldBe(540);
    }

    [Theory]
    [InlineData("?status=open", new[] { "payments" })]
    [InlineData("?status=closed", new[] { "checkout" })]
    [InlineData("?target=checkout", new[] { "checkout" })]
    [InlineData("?limit=1", new[] { "payments" })]
    [InlineData("?status=open&target=checkout", new string[0])]
    public async Task List_WithFilters_ReturnsOnlyMatchingIncidents(string query, string[] targets)
    {
        await using var api = await ReportsApi.StartAsync();
        var json = await api.Http.GetStringAsync(new Uri("/api/v1/incidents" + query, UriKind.Relative));

        using var document = JsonDocument.Parse(json);
        document.RootElement.EnumerateArray().Select(i => i.GetProperty("target").GetString()).ShouldBe(targets);
    }

    [Fact]
    public async Task List_BadQueryValues_Returns400NamingEveryOne()
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri("/api/v1/incidents?status=gone&limit=0&target=", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await ErrorAsync(response);
        error.ShouldContain("status must be 'open' or 'closed', got 'gone'");
        error.ShouldContain("limit must be a whole number from 1 to 1000, got '0'");
        error.ShouldContain("target must not be empty");
    }

    [Fact]
    public async Task Get_KnownId_ReturnsTheJsonReport()
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri("/api/v1/incidents/1", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var document = IncidentReportJson.Deserialize(await response.Content.ReadAsStringAsync())!;
        document.Incident.Id.ShouldBe(1);
        document.Incident.Durations.DetectionToAction!.Iso.ShouldBe("PT2M5S");
        document.Runs.ShouldHaveSingleItem().Steps.Count.ShouldBe(2);
        document.Timeline.Count.ShouldBe(13);
    }

    [Fact]
    public async Task Get_AcceptMarkdown_ReturnsTheMarkdownReport()
    {
        await using var api = await ReportsApi.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/incidents/1", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));

        using var response = await api.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/markdown; charset=utf-8");
        response.Headers.Vary.ShouldContain("Accept");
        (await response.Content.ReadAsStringAsync()).ShouldBe(IncidentReportMarkdownTests.ClosedRollbackReport);
    }

    [Theory]
    [InlineData("md")]
    [InlineData("markdown")]
    public async Task Get_FormatMd_ReturnsTheMarkdownReport(string format)
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri($"/api/v1/incidents/1?format={format}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/markdown; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe(IncidentReportMarkdownTests.ClosedRollbackReport);
    }

    [Fact]
    public async Task Get_FormatJsonWithAcceptMarkdown_TheQueryWins()
    {
        await using var api = await ReportsApi.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/incidents/1?format=json", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));

        using var response = await api.Http.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Get_AcceptAnything_ReturnsJson()
    {
        await using var api = await ReportsApi.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/incidents/1", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));

        using var response = await api.Http.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Get_UnknownId_Returns404()
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri("/api/v1/incidents/999", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ErrorAsync(response)).ShouldBe("no incident 999");
    }

    [Theory]
    [InlineData("/api/v1/incidents/1?format=pdf", "format must be 'json' or 'md', got 'pdf'")]
    [InlineData("/api/v1/incidents/abc", "incident id must be a positive whole number, got 'abc'")]
    [InlineData("/api/v1/incidents/1?format=md&format=json", "format given 2 times; give it once")]
    public async Task Get_BadIdOrFormat_Returns400WithAClearMessage(string path, string message)
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri(path, UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response)).ShouldBe(message);
    }

    [Fact]
    public async Task Stats_NoWindow_CoversTheLast30DaysFromTheInjectedClock()
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri("/api/v1/stats", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var stats = json.RootElement;
        stats.GetProperty("window").GetString().ShouldBe("30d");
        stats.GetProperty("to").GetDateTimeOffset().ShouldBe(api.Clock.GetUtcNow());
        stats.GetProperty("incidents").GetInt32().ShouldBe(2);
        stats.GetProperty("averageRollbackTime").GetProperty("seconds").GetDouble().ShouldBe(240);   // breach T-30s to the run done at T+3m30s
        stats.GetProperty("successRate").GetDouble().ShouldBe(1);
        stats.GetProperty("automatedShare").GetDouble().ShouldBe(0);
        stats.GetProperty("mostCommonCause").GetProperty("rule").GetString().ShouldBe("error-rate-critical");
        stats.GetProperty("runsByStatus").GetProperty("awaiting-approval").GetInt32().ShouldBe(1);
        stats.GetProperty("refused").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Stats_WindowShorterThanTheIncidentsAge_IsEmptyWithNulls()
    {
        await using var api = await ReportsApi.StartAsync();
        using var json = JsonDocument.Parse(await api.Http.GetStringAsync(new Uri("/api/v1/stats?window=1h", UriKind.Relative)));

        json.RootElement.GetProperty("window").GetString().ShouldBe("1h");
        json.RootElement.GetProperty("incidents").GetInt32().ShouldBe(0);
        json.RootElement.GetProperty("successRate").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("mostCommonCause").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("30days")]
    [InlineData("0")]
    [InlineData("")]
    public async Task Stats_BadWindow_Returns400(string window)
    {
        await using var api = await ReportsApi.StartAsync();
        using var response = await api.Http.GetAsync(new Uri($"/api/v1/stats?window={window}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorAsync(response)).ShouldBe($"window must be a positive duration like 30d, 12h or 90m, got '{window}'");
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetString()!;
    }
}
