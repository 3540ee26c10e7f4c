using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Records;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Actions;

public sealed class WebhookActionTests
{
    private static readonly IHttpClientFactory Clients = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    private readonly ExecutorScenario _s = new();

    private async Task<(ActionResult Result, ActionContext Context)> RunAsync(Dictionary<string, string> parameters)
    {
        var incident = await _s.OpenIncidentAsync();
        var run = new ActionRun { Id = 7, IncidentId = incident.Id, Target = "checkout", Action = Watchdog.Rules.DecisionAction.Rollback, Authority = Watchdog.Rules.Authority.Automatic, Rule = "error-rate-critical", CreatedAt = ExecutorScenario.T0 };
        var context = new ActionContext(_s.Target, incident, run, new ActionStep(7, 1, "webhook", parameters), new NullJournal(), _s.Time);
        return (await new WebhookAction(Clients).ExecuteAsync(context, CancellationToken.None), context);
    }

    [Fact]
    public async Task Execute_PostsTheStepAsJson_WithAnIdempotencyKey_AndSucceedsOn2xx()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(202);

        var (result, _) = await RunAsync(new() { ["url"] = new Uri(receiver.BaseUrl, "/hooks/helm-rollback?token=secret").ToString(), ["release"] = "checkout" });

        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldBe($"POST {new Uri(receiver.BaseUrl, "/hooks/helm-rollback")}?token=*** answered 202", "the query's names stay, its values do not");
        result.Summary.ShouldNotContain("secret");
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.IdempotencyKey.ShouldBe("watchdog-run-7-step-1");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("target").GetString().ShouldBe("checkout");
        body.RootElement.GetProperty("action").GetString().ShouldBe("rollback");
        body.RootElement.GetProperty("environment").GetString().ShouldBe("production");
        body.RootElement.GetProperty("parameters").GetProperty("release").GetString().ShouldBe("checkout");
        body.RootElement.GetProperty("parameters").TryGetProperty("url", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Execute_ReceiverAnswers500_FailsWithTheStatusAndBody()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(500);

        var (result, _) = await RunAsync(new() { ["url"] = receiver.BaseUrl.ToString() });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldContain("answered 500: receiver says no");
        receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Execute_ReceiverAnswers200WithAHugeBody_SucceedsOnTheStatusAndNeverReadsTheRest()
    {
        await using var receiver = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * 1024 * 1024, ContentType: "text/plain", Prefix: "job queued"));

        var (result, _) = await RunAsync(new() { ["url"] = receiver.Url("/hook").ToString() });

        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldBe($"POST {receiver.Url("/hook")} answered 200");
        var body = JsonDocument.Parse(result.Detail!).RootElement.GetProperty("body").GetString()!;
        body.ShouldStartWith("job queued");
        body.ShouldEndWith("(answer larger than 64 KiB, not read further)");
        await Eventually.HoldsAsync(() => receiver.Finished == 1, "the receiver stopped sending");
        receiver.BytesSent.ShouldBeLessThan(100 * 1024 * 1024, "the rest of the answer was never taken");
    }

    [Fact]
    public async Task Execute_NothingListening_FailsWithTheConnectionError()
    {
        var (result, _) = await RunAsync(new() { ["url"] = "http://127.0.0.1:1/hook" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldStartWith("POST http://127.0.0.1:1/hook failed:");
    }

    [Theory]
    [InlineData("", "url: required, an absolute http:// or https:// URL")]
    [InlineData("ftp://x/y", "url: required, an absolute http:// or https:// URL")]
    public void Validate_BadUrl_IsReported(string url, string error)
    {
        new WebhookAction(Clients).Validate(new Dictionary<string, string> { ["url"] = url }).ShouldBe([error]);
    }

    [Fact]
    public void Validate_BadMethodAndTimeout_AreBothReported()
    {
        new WebhookAction(Clients).Validate(new Dictionary<string, string> { ["url"] = "http://x/", ["method"] = "GET", ["timeout"] = "soon" })
            .ShouldBe(["method: 'GET' is not POST or PUT", "timeout: 'soon' is not a duration above zero"]);
    }

    private sealed class NullJournal : IActionJournal
    {
        public Task ProgressAsync(string summary, string? detail, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task SaveStateAsync(string what, string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CheckpointAsync(string json, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsBadRevisionAsync(RevisionRef revision, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<IReadOnlyList<KnownGoodRevision>> ListKnownGoodAsync(string resource, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KnownGoodRevision>>([]);
    }
}
