using System.Net;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Fencing;
using Watchdog.Leadership;

namespace Watchdog.Tests.Leadership;

/// <summary>Writes from a term that is over never leave the process; reads do, and work outside the leader's is not fenced.</summary>
public sealed class WriteFenceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task FencingHandler_RefusesWritesOfAnEndedTerm_AndLetsReadsThrough()
    {
        var refusals = 0;
        using var term = new LeaderTerm("watchdog", 4, _time.GetUtcNow(), TimeSpan.FromSeconds(10), _time, fenced: true, fencedWrite: () => refusals++);
        var sent = new List<HttpMethod>();
        using var http = new HttpClient(new FencingHandler { InnerHandler = new Answering(sent) });

        using (WriteFence.Enter(term.Fence))
        {
            (await http.PatchAsync(new Uri("http://127.0.0.1:1/apis/apps/v1/x"), null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            _time.Advance(TimeSpan.FromSeconds(11));

            var refused = await Should.ThrowAsync<DeposedException>(() => http.PatchAsync(new Uri("http://127.0.0.1:1/apis/apps/v1/x"), null));
            refused.Message.ShouldBe("PATCH /apis/apps/v1/x refused: this replica no longer leads (epoch 4 of watchdog is over)");
            (await http.GetAsync(new Uri("http://127.0.0.1:1/apis/apps/v1/x"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await http.PostAsync(new Uri("http://127.0.0.1:1/api/v1/alerts"), null)).StatusCode.ShouldBe(HttpStatusCode.OK, "outside the leader's work nothing is fenced");
        sent.ShouldBe([HttpMethod.Patch, HttpMethod.Get, HttpMethod.Post]);
        refusals.ShouldBe(1, "the refused PATCH was counted (watchdog_fenced_writes_total)");
    }

    [Fact]
    public void EndedTerm_IsNotCurrent_EvenWithinTheDeadline()
    {
        var term = new LeaderTerm("watchdog", 1, _time.GetUtcNow(), TimeSpan.FromSeconds(10), _time, fenced: true);

        term.End();

        term.Fence!.IsCurrent.ShouldBeFalse();
        term.Dispose();
    }

    private sealed class Answering(List<HttpMethod> sent) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add(request.Method);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
