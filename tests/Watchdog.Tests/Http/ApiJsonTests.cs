using System.Net;
using Microsoft.AspNetCore.Builder;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Hosting;

namespace Watchdog.Tests.Http;

/// <summary>The API's JSON error bodies quote what was sent with a plain apostrophe, never <c>\u0027</c>.</summary>
public sealed class ApiJsonTests : IAsyncLifetime
{
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var options = new WatchdogOptions
        {
            Http = new HttpOptions { Listen = "http://127.0.0.1:0" },
            Store = new StoreOptions { Path = Path.Combine(Path.GetTempPath(), "watchdog-tests", $"api-json-{Guid.NewGuid():N}.db") },
            Targets = [new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromMinutes(1) }],
        };
        _app = WatchdogHost.Build(new ConfigLoadResult(options, TestPolicies.ErrorRateOnly(), [], []), []);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("/api/v1/incidents/it's", HttpStatusCode.BadRequest, "incident id must be a positive whole number, got 'it's'")]
    [InlineData("/api/v1/stats?window=week", HttpStatusCode.BadRequest, "window must be a positive duration like 30d, 12h or 90m, got 'week'")]
    [InlineData("/api/v1/targets/nope", HttpStatusCode.NotFound, "no target named 'nope'")]
    [InlineData("/api/v1/alerts?limit=lots", HttpStatusCode.BadRequest, "limit: expected a whole number from 1 to 1000, got 'lots'")]
    public async Task ErrorBody_QuotingWhatWasSent_KeepsApostrophesPlain(string path, HttpStatusCode status, string error)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        using var answer = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await answer.Content.ReadAsStringAsync();

        answer.StatusCode.ShouldBe(status, body);
        answer.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        body.ShouldContain(error);
        body.ShouldNotContain("\\u0027");
    }
}
