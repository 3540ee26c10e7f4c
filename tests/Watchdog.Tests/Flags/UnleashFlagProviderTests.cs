using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Flags;

namespace Watchdog.Tests.Flags;

/// <summary>
/// What the unleash provider sends and how it takes answers a real Unleash rarely gives (garbage, failures, hangs),
/// against a loopback stand-in; the integration tests hold it against a real Unleash 8.2.
/// </summary>
public sealed class UnleashFlagProviderTests : IAsyncLifetime
{
    private const string Token = "*:*.unleash-s3cret";
    private const string Feature = """
        {"name":"checkout-v2","environments":[
          {"name":"development","enabled":false,"strategies":[]},
          {"name":"production","enabled":true,"strategies":[
            {"id":"01A","name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"checkout-v2"}},
            {"id":"01B","name":"flexibleRollout","parameters":{"rollout":30}},
            {"id":"01C","name":"default","parameters":{}}]}]}
        """;

    private readonly ConcurrentQueue<string> _requests = new();
    private Func<HttpContext, Task> _answer = context => context.Request.Method == "GET" ? context.Response.WriteAsync(Feature) : Task.CompletedTask;
    private LoopbackServer _server = null!;
    private ServiceProvider? _services;

    public async Task InitializeAsync() =>
        _server = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _requests.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.Headers.Authorization} {await reader.ReadToEndAsync()}".TrimEnd());
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
    public async Task ReadAsync_TakesTheConfiguredEnvironment_RolloutsAsStringsOrNumbers()
    {
        var state = await Provider().ReadAsync(new FlagRef("checkout-v2"), CancellationToken.None);

        state.ShouldBe(state with { Environment = "production", Enabled = true });
        state.Strategies.ShouldBe([new FlagStrategy("01A", "flexibleRollout", 50), new FlagStrategy("01B", "flexibleRollout", 30), new FlagStrategy("01C", "default", null)]);
        _requests.ShouldHaveSingleItem().ShouldBe($"GET /api/admin/projects/default/features/checkout-v2 {Token}");
    }

    [Fact]
    public async Task SetRolloutAsync_PatchesEachRolloutStrategyById_AndNoOther()
    {
        await Provider().SetRolloutAsync(new FlagRef("checkout-v2", Project: "shop"), 10, CancellationToken.None);

        const string Patch = """[{"op":"replace","path":"/parameters/rollout","value":"10"}]""";
        _requests.ToArray().ShouldBe([
            $"GET /api/admin/projects/shop/features/checkout-v2 {Token}",
            $"PATCH /api/admin/projects/shop/features/checkout-v2/environments/production/strategies/01A {Token} {Patch}",
            $"PATCH /api/admin/projects/shop/features/checkout-v2/environments/production/strategies/01B {Token} {Patch}",
        ]);
    }

    [Fact]
    public async Task SetEnabledAsync_Off_PostsOffInTheEnvironment()
    {
        await Provider().SetEnabledAsync(new FlagRef("checkout-v2"), false, CancellationToken.None);

        _requests.Last().ShouldBe($"POST /api/admin/projects/default/features/checkout-v2/environments/production/off {Token}");
    }

    [Theory]
    [InlineData("""{"name":"checkout-v2"}""")]
    [InlineData("""{"environments":[{"name":"production","strategies":[]}]}""")]
    [InlineData("""{"environments":[{"name":"production","enabled":true,"strategies":[{"name":"flexibleRollout"}]}]}""")]
    [InlineData("Unleash is starting")]
    public async Task ReadAsync_AnAnswerThatIsNoFeature_IsAClearError(string body)
    {
        _answer = context => context.Response.WriteAsync(body);

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().ReadAsync(new FlagRef("checkout-v2"), CancellationToken.None));

        error.Message.ShouldBe($"flag provider 'unleash': GET {_server.Url}api/admin/projects/default/features/checkout-v2: the answer is not an Unleash feature (environments with enabled and strategies): {body}");
    }

    [Fact]
    public async Task SetRolloutAsync_ThePatchFails_IsNotRetried_AndSaysWhichStrategy()
    {
        _answer = context =>
        {
            if (context.Request.Method == "GET")
            {
                return context.Response.WriteAsync(Feature);
            }

            context.Response.StatusCode = 503;
            return context.Response.WriteAsync("""{"message":"database unavailable"}""");
        };

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetRolloutAsync(new FlagRef("checkout-v2"), 5, CancellationToken.None));

        error.Message.ShouldBe($"flag provider 'unleash': PATCH {_server.Url}api/admin/projects/default/features/checkout-v2/environments/production/strategies/01A: 503 ServiceUnavailable: the service failed: \"database unavailable\"");
        _requests.Count(r => r.StartsWith("PATCH", StringComparison.Ordinal)).ShouldBe(1);
        error.Message.ShouldNotContain(Token);
    }

    [Fact]
    public async Task ReadAsync_Hanging_EndsAtTheTimeout()
    {
        _answer = async context => await Task.Delay(Timeout.Infinite, context.RequestAborted);

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider(timeout: TimeSpan.FromMilliseconds(200)).ReadAsync(new FlagRef("checkout-v2"), CancellationToken.None));

        error.Message.ShouldBe($"flag provider 'unleash': GET {_server.Url}api/admin/projects/default/features/checkout-v2: no answer within 200ms");
        _requests.Count.ShouldBe(1 + FlagHttpClient.ReadRetries);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(150)]
    public async Task SetRolloutAsync_OutsideZeroToHundred_IsRefusedBeforeAnyCall(int percent)
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetRolloutAsync(new FlagRef("checkout-v2"), percent, CancellationToken.None));

        error.Message.ShouldBe($"flag provider 'unleash': rollout percentage {percent} for checkout-v2 is outside 0-100");
        _requests.ShouldBeEmpty();
    }

    [Fact]
    public void ValidateParameters_NeedsAnEnvironment_AndKnowsOnlyItsKeys() =>
        Watchdog.Flags.Unleash.UnleashFlagProvider.ValidateParameters(new Dictionary<string, string> { ["projekt"] = "shop" })
            .ShouldBe([
                "projekt: unknown key for kind unleash (did you mean 'project'?)",
                "environment: required for kind unleash (the environment whose strategies change, e.g. production)",
            ]);

    private IFlagProvider Provider(TimeSpan? timeout = null)
    {
        var options = new FlagProviderOptions
        {
            Name = "unleash",
            Kind = FlagProviderOptions.UnleashKind,
            Url = _server.Url,
            Token = Token,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            Parameters = new Dictionary<string, string> { ["environment"] = "production" },
        };
        _services = new ServiceCollection().AddFlagProviders().AddWatchdogFlags([options]).BuildServiceProvider();
        return _services.GetRequiredService<IFlagProviders>().Find(null).ShouldNotBeNull();
    }
}
