using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Flags;

namespace Watchdog.Tests.Flags;

/// <summary>
/// The generic <c>http</c> provider against a loopback flag service that records what it is sent: the runbook's API
/// by default, a configured shape, and every way a service can fail, each a <see cref="FlagProviderException"/> that
/// says what happened and never the token.
/// </summary>
public sealed class HttpFlagProviderTests : IAsyncLifetime
{
    private const string Token = "flag-api-s3cret";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private Func<HttpContext, Task> _answer = context => context.Response.WriteAsync("""{"enabled":true,"rollout_percentage":50}""");
    private LoopbackServer _server = null!;
    private ServiceProvider? _services;

    private static readonly FlagRef Checkout = new("checkout-v2");

    public async Task InitializeAsync() =>
        _server = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            _requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                await reader.ReadToEndAsync(),
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers["X-Team"].ToString()));
            await _answer(context);
        });

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_RunbookApi_GetsTheFlagWithTheBearerToken()
    {
        var state = await Provider().ReadAsync(Checkout, CancellationToken.None);

        state.Enabled.ShouldBeTrue();
        state.HighestRollout.ShouldBe(50);
        var request = _requests.ShouldHaveSingleItem();
        request.ShouldBe(new RecordedRequest("GET", "/features/checkout-v2", "", $"Bearer {Token}", ""));
    }

    [Fact]
    public async Task Token_ThatIsNoValidHeaderToken_IsSentAsWritten()
    {
        // Unleash-style secrets (project:environment.secret) broke AuthenticationHeaderValue, whose FormatException quoted them.
        const string Odd = "*:*.odd token/with=chars";
        var provider = Build(new FlagProviderOptions { Name = "api", Kind = "http", Url = _server.Url, Token = Odd });

        await provider.ReadAsync(Checkout, CancellationToken.None);

        _requests.ShouldHaveSingleItem().Authorization.ShouldBe($"Bearer {Odd}");
    }

    [Fact]
    public async Task ReadAsync_WithoutAPercentage_HasNoRolloutStrategy()
    {
        _answer = context => context.Response.WriteAsync("""{"enabled":false}""");

        var state = await Provider().ReadAsync(Checkout, CancellationToken.None);

        state.Enabled.ShouldBeFalse();
        state.Strategies.ShouldBeEmpty();
    }

    [Fact]
    public async Task SetRolloutAsync_RunbookApi_PatchesOnlyThePercentage()
    {
        _answer = _ => Task.CompletedTask;

        await Provider().SetRolloutAsync(Checkout, 25, CancellationToken.None);

        _requests.ShouldHaveSingleItem().ShouldBe(new RecordedRequest("PATCH", "/admin/features", """{"feature":"checkout-v2","rollout_percentage":25}""", $"Bearer {Token}", ""));
    }

    [Fact]
    public async Task SetEnabledAsync_RunbookApi_PatchesOnlyEnabled()
    {
        _answer = _ => Task.CompletedTask;

        await Provider().SetEnabledAsync(Checkout, false, CancellationToken.None);

        _requests.ShouldHaveSingleItem().Body.ShouldBe("""{"feature":"checkout-v2","enabled":false}""");
    }

    [Fact]
    public async Task ConfiguredShape_UsesItsMethodPathsHeadersAndFieldNames()
    {
        _answer = context => context.Request.Method == "GET"
            ? context.Response.WriteAsync("""{"on":true,"percent":10}""")
            : Task.CompletedTask;
        var provider = Provider(new Dictionary<string, string>
        {
            ["method"] = "PUT",
            ["write_path"] = "/v2/flags/{flag}",
            ["read_path"] = "/v2/flags/{flag}/state",
            ["headers.X-Team"] = "wms",
            ["fields.feature"] = "key",
            ["fields.enabled"] = "on",
            ["fields.rollout_percentage"] = "percent",
        });

        var state = await provider.ReadAsync(Checkout, CancellationToken.None);
        await provider.SetRolloutAsync(Checkout, 5, CancellationToken.None);

        state.HighestRollout.ShouldBe(10);
        _requests.ToArray().ShouldBe([
            new RecordedRequest("GET", "/v2/flags/checkout-v2/state", "", $"Bearer {Token}", "wms"),
            new RecordedRequest("PUT", "/v2/flags/checkout-v2", """{"key":"checkout-v2","percent":5}""", $"Bearer {Token}", "wms"),
        ]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task SetRolloutAsync_OutsideZeroToHundred_IsRefusedBeforeAnyCall(int percent)
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetRolloutAsync(Checkout, percent, CancellationToken.None));

        error.Message.ShouldContain("is outside 0-100");
        _requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(401, """{"message":"bad token flag-api-s3cret"}""", "401 Unauthorized: the token was refused (check token, token_file or token_env): \"bad token ***\"")]
    [InlineData(403, "", "403 Forbidden: the token may not do this")]
    [InlineData(404, """{"error":"no flag named checkout-v2"}""", "404 Not Found (unknown flag, project or environment?): \"no flag named checkout-v2\"")]
    [InlineData(409, "locked by a change request", "409 Conflict: the service refused the change as it stands: locked by a change request")]
    public async Task SetRolloutAsync_Refused_IsAClearErrorWithTheServicesWords_AndNoToken(int status, string body, string expected)
    {
        _answer = context =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync(body);
        };

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetRolloutAsync(Checkout, 25, CancellationToken.None));

        error.Message.ShouldStartWith($"flag provider 'api': PATCH {_server.Url}admin/features: ");
        error.Message.ShouldContain(expected);
        error.Message.ShouldNotContain(Token);
        _requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ServerError_IsRetriedForReads_ButNeverForWrites()
    {
        _answer = context =>
        {
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("boom");
        };
        var provider = Provider();

        var read = await Should.ThrowAsync<FlagProviderException>(() => provider.ReadAsync(Checkout, CancellationToken.None));
        var reads = _requests.Count;
        var write = await Should.ThrowAsync<FlagProviderException>(() => provider.SetEnabledAsync(Checkout, false, CancellationToken.None));

        read.Message.ShouldBe($"flag provider 'api': GET {_server.Url}features/checkout-v2: 500 InternalServerError: the service failed: boom");
        write.Message.ShouldContain("500 InternalServerError: the service failed: boom");
        reads.ShouldBe(1 + FlagHttpClient.ReadRetries);
        (_requests.Count - reads).ShouldBe(1);
    }

    [Fact]
    public async Task Hang_EndsAtTheTimeout_AsAClearError()
    {
        _answer = async context => await Task.Delay(Timeout.Infinite, context.RequestAborted);

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider(timeout: TimeSpan.FromMilliseconds(300)).SetEnabledAsync(Checkout, false, CancellationToken.None));

        error.Message.ShouldBe($"flag provider 'api': PATCH {_server.Url}admin/features: no answer within 300ms");
    }

    [Theory]
    [InlineData("<html>maintenance</html>")]
    [InlineData("""{"enabled":"yes"}""")]
    [InlineData("""{"enabled":true,"rollout_percentage":150}""")]
    [InlineData("""{"enabled":true,"rollout_percentage":12.5}""")]
    [InlineData("[]")]
    public async Task ReadAsync_Garbage_IsAClearErrorQuotingTheAnswer(string body)
    {
        _answer = context => context.Response.WriteAsync(body);

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().ReadAsync(Checkout, CancellationToken.None));

        error.Message.ShouldStartWith($"flag provider 'api': GET {_server.Url}features/checkout-v2: the answer is not a JSON object with enabled (true or false) and rollout_percentage");
        error.Message.ShouldEndWith(body);
    }

    [Fact]
    public async Task ReadAsync_OversizeAnswer_IsRefusedAtTheLimit()
    {
        _answer = context => context.Response.WriteAsync($$"""{"enabled":true,"padding":"{{new string('x', 4096)}}"}""");

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider(maxResponseBytes: 1024).ReadAsync(Checkout, CancellationToken.None));

        error.Message.ShouldBe($"flag provider 'api': GET {_server.Url}features/checkout-v2: answer larger than 1 KiB (flags[].max_response_bytes)");
    }

    [Fact]
    public async Task Unreachable_IsAClearError()
    {
        await _server.StopAsync();

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetEnabledAsync(Checkout, true, CancellationToken.None));

        error.Message.ShouldStartWith($"flag provider 'api': PATCH {_server.Url}admin/features: cannot reach the service: ");
    }

    [Fact]
    public async Task UnreadableTokenFile_IsAClearErrorBeforeAnyCall()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"watchdog-no-such-token-{Guid.NewGuid():N}");
        var provider = Build(new FlagProviderOptions { Name = "api", Kind = "http", Url = _server.Url, TokenFile = missing });

        var error = await Should.ThrowAsync<FlagProviderException>(() => provider.ReadAsync(Checkout, CancellationToken.None));

        error.Message.ShouldStartWith($"flag provider 'api': cannot read token_file {missing}");
        _requests.ShouldBeEmpty();
    }

    private IFlagProvider Provider(Dictionary<string, string>? parameters = null, TimeSpan? timeout = null, long maxResponseBytes = 1024 * 1024) =>
        Build(new FlagProviderOptions
        {
            Name = "api",
            Kind = "http",
            Url = _server.Url,
            Token = Token,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            MaxResponseBytes = maxResponseBytes,
            Parameters = parameters ?? [],
        });

    private IFlagProvider Build(FlagProviderOptions options)
    {
        _services = new ServiceCollection().AddFlagProviders().AddWatchdogFlags([options]).BuildServiceProvider();
        return _services.GetRequiredService<IFlagProviders>().Find(null).ShouldNotBeNull();
    }

    private sealed record RecordedRequest(string Method, string Path, string Body, string Authorization, string Team);
}
