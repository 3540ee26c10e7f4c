using Microsoft.Extensions.Time.Testing;
using Watchdog.Rules;
using Watchdog.Signals.Prometheus;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>Retries on what may pass (5xx, 429), never on a bad query; a circuit that stops asking a failing Prometheus.</summary>
public sealed class PrometheusClientResilienceTests
{
    private static readonly StubAnswer Unavailable = StubAnswer.Error(503, "unavailable", "TSDB not ready");
    private static readonly StubAnswer Ok = StubAnswer.OneSeries("{}", "0.25");

    private static CancellationToken Ct => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Query_503ThenSuccess_RetriesAndReturnsTheValue()
    {
        await using var stub = await PrometheusStub.StartAsync(Unavailable, Unavailable, Ok);
        var client = PrometheusTestClients.Create(stub.BaseUrl);

        var value = (await client.QueryAsync("up", Ct)).SingleValue();

        value.ShouldBe(SignalValue.Of(0.25));
        stub.QueryCount.ShouldBe(3);
    }

    [Fact]
    public async Task Query_429ThenSuccess_Retries()
    {
        await using var stub = await PrometheusStub.StartAsync(new StubAnswer(429, "slow down", "text/plain"), Ok);
        var client = PrometheusTestClients.Create(stub.BaseUrl);

        var value = (await client.QueryAsync("up", Ct)).SingleValue();

        value.ShouldBe(SignalValue.Of(0.25));
        stub.QueryCount.ShouldBe(2);
    }

    [Fact]
    public async Task Query_503EveryTime_GivesUpAfterTwoRetriesWithPrometheusMessage()
    {
        await using var stub = await PrometheusStub.StartAsync(Unavailable);
        var client = PrometheusTestClients.Create(stub.BaseUrl);

        var value = (await client.QueryAsync("up", Ct)).SingleValue();

        value.ErrorMessage.ShouldBe("unavailable: TSDB not ready");
        stub.QueryCount.ShouldBe(3);
    }

    [Theory]
    [InlineData(400, "bad_data")]
    [InlineData(422, "execution")]
    public async Task Query_BadQuery_IsNotRetried(int status, string errorType)
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Error(status, errorType, "no"), Ok);
        var client = PrometheusTestClients.Create(stub.BaseUrl);

        var value = (await client.QueryAsync("rate(x)", Ct)).SingleValue();

        value.ErrorMessage.ShouldBe($"{errorType}: no");
        stub.QueryCount.ShouldBe(1);
    }

    [Fact]
    public async Task Query_DefaultRetries_BackOff200ThenThe400Milliseconds()
    {
        await using var stub = await PrometheusStub.StartAsync(Unavailable);
        var logger = new RecordingLogger<PrometheusClient>();
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions(), logger: logger);

        await client.QueryAsync("up", Ct);

        logger.Entries.Where(e => e.EventId == 601).Select(e => e.Fields["Delay"])
            .ShouldBe(["200ms", "400ms"]); // in words, as every log line writes a wait
    }

    [Fact]
    public async Task Query_503WithRetryAfter_IsRetriedOnItsOwnBackoff_NotAfterTheHeadersMinute()
    {
        // The library's retry would wait out Retry-After by default; a minute would outlast the watch cycle's deadline.
        await using var stub = await PrometheusStub.StartAsync(Unavailable with { RetryAfter = TimeSpan.FromMinutes(1) }, Ok);
        var logger = new RecordingLogger<PrometheusClient>();
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions(), logger: logger);

        var value = (await client.QueryAsync("up", Ct)).SingleValue();

        value.ShouldBe(SignalValue.Of(0.25));
        logger.Entries.Where(e => e.EventId == 601).Select(e => e.Fields["Delay"]).ShouldBe(["200ms"]);
    }

    [Fact]
    public async Task Query_FiveFailures_OpenTheCircuitAndLaterReadsFailWithoutAsking()
    {
        var time = TestClock.Create();
        await using var stub = await PrometheusStub.StartAsync(Unavailable, Unavailable, Unavailable, Unavailable, Unavailable, Ok);
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions { MaxRetries = 0 }, time);
        for (var i = 0; i < 5; i++)
        {
            (await client.QueryAsync("up", Ct)).Error.ShouldBe("unavailable: TSDB not ready");
        }

        time.Advance(TimeSpan.FromSeconds(10));
        var whileOpen = (await client.QueryAsync("up", Ct)).SingleValue();

        whileOpen.ErrorMessage.ShouldBe("circuit open: Prometheus failing since 2025-06-01T12:00:00Z (last error: unavailable: TSDB not ready)");
        stub.QueryCount.ShouldBe(5);
    }

    [Fact]
    public async Task Query_ReadsCutByTheCyclesDeadline_CountAsFailures_AndOpenTheCircuit()
    {
        // Prometheus answers after 10 s; the watch cycle gives each read 200 ms. Cancelled attempts used to count
        // as successes for the breaker, so the circuit never opened and every cycle waited out its deadline.
        await using var stub = await PrometheusStub.StartAsync(Ok);
        stub.Delay = TimeSpan.FromSeconds(10);
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions { MaxRetries = 0 }, configure: o => o with { Timeout = TimeSpan.FromSeconds(5) });
        for (var i = 0; i < 5; i++)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Should.ThrowAsync<OperationCanceledException>(() => client.QueryAsync("up", deadline.Token));
        }

        var next = (await client.QueryAsync("up", Ct).WaitAsync(TimeSpan.FromSeconds(2))).SingleValue();

        next.ErrorMessage.ShouldNotBeNull().ShouldStartWith("circuit open: Prometheus failing since ");
        next.ErrorMessage.ShouldEndWith("(last error: no answer from Prometheus before the watch cycle's deadline)");
    }

    [Fact]
    public async Task Query_ReadsCutByTheDeadlineDuringARetryWait_OpenCircuitStillNamesPrometheusOwnError()
    {
        // Each read's one attempt gets a 503, then the deadline ends the read in the wait before its retry:
        // the circuit's last error is the 503 that every attempt got, not the deadline.
        await using var stub = await PrometheusStub.StartAsync(Unavailable);
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions { FirstRetryDelay = TimeSpan.FromSeconds(10), FailuresToOpen = 2 });
        for (var i = 0; i < 2; i++)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var thrown = await Record.ExceptionAsync(() => client.QueryAsync("up", deadline.Token));
            thrown.ShouldBeAssignableTo<OperationCanceledException>();
        }

        var next = (await client.QueryAsync("up", Ct)).SingleValue();

        next.ErrorMessage.ShouldNotBeNull().ShouldEndWith("(last error: unavailable: TSDB not ready)");
        stub.QueryCount.ShouldBe(2);
    }

    [Fact]
    public async Task Query_AfterTheBreak_ProbesAgainAndClosesTheCircuitOnSuccess()
    {
        var time = TestClock.Create();
        await using var stub = await PrometheusStub.StartAsync(Unavailable, Unavailable, Unavailable, Unavailable, Unavailable, Ok);
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions { MaxRetries = 0 }, time);
        for (var i = 0; i < 5; i++)
        {
            await client.QueryAsync("up", Ct);
        }

        time.Advance(TimeSpan.FromSeconds(30));
        var probe = (await client.QueryAsync("up", Ct)).SingleValue();
        var next = (await client.QueryAsync("up", Ct)).SingleValue();

        probe.ShouldBe(SignalValue.Of(0.25));
        next.ShouldBe(SignalValue.Of(0.25));
        stub.QueryCount.ShouldBe(7);
    }

    [Fact]
    public async Task Query_ManyBadQueries_NeverOpenTheCircuit()
    {
        var time = TestClock.Create();
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Error(400, "bad_data", "parse error"));
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions { MaxRetries = 0 }, time);

        for (var i = 0; i < 10; i++)
        {
            (await client.QueryAsync("sum(", Ct)).Error.ShouldBe("bad_data: parse error");
        }

        stub.QueryCount.ShouldBe(10);
    }

    [Fact]
    public async Task Query_DeadPrometheusWithRetries_CostsThreeAttemptsPerReadUntilTheCircuitOpens()
    {
        // Retries count towards the breaker: the second read's second attempt is the fifth failure.
        var time = TestClock.Create();
        await using var stub = await PrometheusStub.StartAsync(Unavailable);
        var client = PrometheusTestClients.Create(stub.BaseUrl, new PrometheusResilienceOptions { FirstRetryDelay = TimeSpan.Zero }, time);

        await client.QueryAsync("up", Ct);
        var second = await client.QueryAsync("up", Ct);
        var third = await client.QueryAsync("up", Ct);

        stub.QueryCount.ShouldBe(5);
        second.Error.ShouldStartWith("circuit open: ");
        third.Error.ShouldStartWith("circuit open: ");
    }
}
