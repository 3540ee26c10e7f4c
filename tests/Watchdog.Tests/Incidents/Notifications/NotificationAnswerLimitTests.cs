using Watchdog.Http;
using Watchdog.Incidents.Notifications;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>A receiver's refusal is read for an excerpt only, never past 64 KiB, however much it sends.</summary>
public sealed class NotificationAnswerLimitTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    // The handler the named client reads refusals through (NotificationHttpClient), without its retries.
    private readonly HttpClient _http = new(new BoundedBodyHandler(NotificationHttp.MaxAnswerBytes, refusalsOnly: true) { InnerHandler = new SocketsHttpHandler() })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task PostJson_RefusalWithAHugeBody_FailsWithAnExcerptAndNeverReadsTheRest()
    {
        await using var receiver = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * MiB, Status: 500, ContentType: "text/plain", Prefix: "receiver overloaded"));

        var result = await NotificationHttp.PostJsonAsync(_http, receiver.Url("/hook"), "{}", "incident/1/opened", "pager", CancellationToken.None);

        result.Delivered.ShouldBeFalse();
        result.Transient.ShouldBeTrue();
        result.Error!.ShouldStartWith("HTTP 500 Answer: receiver overloaded");
        result.Error.Length.ShouldBeLessThan(300);
        await Eventually.HoldsAsync(() => receiver.Finished == 1, "the receiver stopped sending");
        receiver.BytesSent.ShouldBeLessThan(100 * MiB, "the rest of the answer was never taken");
    }

    [Fact]
    public async Task PostJson_RefusalDeclaringAHugeBody_SaysSoInsteadOfAnExcerpt()
    {
        await using var receiver = await StreamingBodyServer.StartAsync(new StreamedAnswer(10 * MiB, Status: 503, DeclareLength: true, Prefix: "busy"));

        var result = await NotificationHttp.PostJsonAsync(_http, receiver.Url("/hook"), "{}", "incident/1/opened", "pager", CancellationToken.None);

        result.Error.ShouldBe("HTTP 503 Answer: (answer larger than 64 KiB)");
    }
}
