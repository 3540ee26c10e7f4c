using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Flags;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Flags;

/// <summary>
/// The unleash provider against a real Unleash 8.2: what it reads, that a rollout change keeps every other parameter
/// and leaves a strategy without a rollout (the standard one) alone, on/off as an SDK then sees it (the client API lags ~1 s, so it is
/// polled), and each refusal (unknown flag, environment or project, a bad token) a clear error without the token.
/// </summary>
[Collection(UnleashTestGroup.Name)]
public sealed class UnleashFlagProviderTests(UnleashServer unleash) : IAsyncLifetime
{
    private const string Production = "production";

    private readonly string _flag = $"checkout-{Guid.NewGuid():N}"[..24];
    private ServiceProvider? _services;
    private string _rolloutId = "";
    private string _standardId = "";

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        var ids = await unleash.CreateFlagAsync(
            _flag,
            Production,
            Strategy("flexibleRollout", new JsonObject { ["rollout"] = "50", ["stickiness"] = "userId", ["groupId"] = "checkout-group" }),
            Strategy("default", new JsonObject()));
        (_rolloutId, _standardId) = (ids[0], ids[1]);
        (await unleash.Admin.PostAsync($"api/admin/projects/default/features/{_flag}/environments/{Production}/on", null)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadAsync_FlagWithARolloutAndAStandardStrategy_ReadsEachStrategyByIdInTheEnvironment()
    {
        var state = await Provider().ReadAsync(new FlagRef(_flag), Ct);

        state.ShouldSatisfyAllConditions(
            () => state.Environment.ShouldBe(Production),
            () => state.Enabled.ShouldBeTrue(),
            () => state.Strategies.ShouldBe([new FlagStrategy(_rolloutId, "flexibleRollout", 50), new FlagStrategy(_standardId, "default", null)]),
            () => state.HighestRollout.ShouldBe(50));
    }

    [Fact]
    public async Task SetRolloutAsync_To25_KeepsStickinessAndGroupId_LeavesTheStandardStrategyAlone_AndClientsSeeIt()
    {
        await Provider().SetRolloutAsync(new FlagRef(_flag), 25, Ct);

        var strategies = await unleash.StrategiesAsync(_flag, Production);
        var rollout = strategies.Single(s => s!["id"]!.GetValue<string>() == _rolloutId)!["parameters"]!;
        rollout.ToJsonString().ShouldBe(new JsonObject { ["groupId"] = "checkout-group", ["rollout"] = "25", ["stickiness"] = "userId" }.ToJsonString());
        strategies.Single(s => s!["id"]!.GetValue<string>() == _standardId)!["parameters"]!.ToJsonString().ShouldBe("{}");
        (await Provider().ReadAsync(new FlagRef(_flag), Ct)).HighestRollout.ShouldBe(25);
        await Eventually.HoldsAsync(
            async () => (await unleash.ClientViewAsync(_flag))["strategies"]!.AsArray().Any(s => s!["parameters"]?["rollout"]?.GetValue<string>() == "25"),
            "the client API serves the rollout at 25");
    }

    [Fact]
    public async Task SetEnabledAsync_OffThenOn_IsWhatTheAdminAndClientApisSay()
    {
        var provider = Provider();

        await provider.SetEnabledAsync(new FlagRef(_flag), false, Ct);
        (await unleash.EnabledAsync(_flag, Production)).ShouldBeFalse();
        (await provider.ReadAsync(new FlagRef(_flag), Ct)).Enabled.ShouldBeFalse();
        await Eventually.HoldsAsync(async () => !(await unleash.ClientViewAsync(_flag))["enabled"]!.GetValue<bool>(), "clients see the flag off");

        await provider.SetEnabledAsync(new FlagRef(_flag), true, Ct);
        (await unleash.EnabledAsync(_flag, Production)).ShouldBeTrue();
        await Eventually.HoldsAsync(async () => (await unleash.ClientViewAsync(_flag))["enabled"]!.GetValue<bool>(), "clients see the flag on again");
        (await unleash.StrategiesAsync(_flag, Production)).Count.ShouldBe(2, "switching on adds no strategy to an environment that has some");
    }

    [Fact]
    public async Task SetEnabledAsync_OnInAnEnvironmentWithoutStrategies_IsRefused_SoUnleashAddsNo100PercentRollout()
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetEnabledAsync(new FlagRef(_flag, Environment: "development"), true, Ct));

        error.Message.ShouldBe($"flag provider 'unleash': refusing to enable {_flag} in development (project default): it has no strategies there, and Unleash would add a 100 % rollout");
        (await unleash.EnabledAsync(_flag, "development")).ShouldBeFalse();
        (await unleash.StrategiesAsync(_flag, "development")).ShouldBeEmpty();
    }

    [Fact]
    public async Task SetRolloutAsync_AStrategyWhoseRolloutUnleashTookUnchecked_IsReadAsUnknownAndStillSet()
    {
        using (var response = await unleash.Admin.PatchAsync(
            $"api/admin/projects/default/features/{_flag}/environments/{Production}/strategies/{_rolloutId}",
            new StringContent("""[{"op":"replace","path":"/parameters/rollout","value":"150"}]""", System.Text.Encoding.UTF8, "application/json")))
        {
            response.EnsureSuccessStatusCode();
        }

        var provider = Provider();
        (await provider.ReadAsync(new FlagRef(_flag), Ct)).Strategies[0].RolloutPercent.ShouldBeNull();

        await provider.SetRolloutAsync(new FlagRef(_flag), 10, Ct);

        (await provider.ReadAsync(new FlagRef(_flag), Ct)).Strategies[0].RolloutPercent.ShouldBe(10);
    }

    [Fact]
    public async Task UnknownFlag_QuotesUnleash()
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().SetRolloutAsync(new FlagRef("no-such-flag"), 25, Ct));

        error.Message.ShouldBe($$"""flag provider 'unleash': GET {{unleash.Url}}api/admin/projects/default/features/no-such-flag: 404 Not Found (unknown flag, project or environment?): "There's no feature named "no-such-flag" in project "default"." """.TrimEnd());
    }

    [Fact]
    public async Task UnknownProject_QuotesUnleash()
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider().ReadAsync(new FlagRef(_flag, Project: "no-such-project"), Ct));

        error.Message.ShouldContain("404 Not Found");
        error.Message.ShouldContain($"There's no feature named \"{_flag}\" in project \"no-such-project\", but there's a feature with that name in project \"default\"", customMessage: error.Message);
    }

    [Fact]
    public async Task UnknownEnvironment_NamesTheEnvironmentsTheFlagHas()
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider(environment: "staging").SetEnabledAsync(new FlagRef(_flag), false, Ct));

        error.Message.ShouldBe($"flag provider 'unleash': flag {_flag} in project default has no environment 'staging' (it has: development, production)");
        (await unleash.EnabledAsync(_flag, Production)).ShouldBeTrue();
    }

    [Fact]
    public async Task BadToken_Is401_WithoutTheToken()
    {
        const string BadToken = "*:*.not-the-admin-token-s3cret";

        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider(token: BadToken).ReadAsync(new FlagRef(_flag), Ct));

        error.Message.ShouldContain("401 Unauthorized: the token was refused");
        error.Message.ShouldContain("You must log in to use Unleash.");
        error.Message.ShouldNotContain(BadToken);
        error.ToString().ShouldNotContain(BadToken);
    }

    [Fact]
    public async Task ClientToken_OnTheAdminApi_Is403()
    {
        var error = await Should.ThrowAsync<FlagProviderException>(() => Provider(token: unleash.ProductionClientToken).SetRolloutAsync(new FlagRef(_flag), 0, Ct));

        error.Message.ShouldContain("403 Forbidden");
        error.Message.ShouldNotContain(unleash.ProductionClientToken);
        (await unleash.StrategiesAsync(_flag, Production))[0]!["parameters"]!["rollout"]!.GetValue<string>().ShouldBe("50");
    }

    private static JsonObject Strategy(string name, JsonObject parameters) =>
        new() { ["name"] = name, ["parameters"] = parameters, ["constraints"] = new JsonArray() };

    private IFlagProvider Provider(string environment = Production, string? token = null)
    {
        var options = new FlagProviderOptions
        {
            Name = "unleash",
            Kind = FlagProviderOptions.UnleashKind,
            Url = unleash.Url,
            Token = token ?? unleash.AdminToken,
            Timeout = TimeSpan.FromSeconds(10),
            Parameters = new Dictionary<string, string> { ["environment"] = environment },
        };
        _services?.Dispose();
        _services = new ServiceCollection().AddFlagProviders().AddWatchdogFlags([options]).BuildServiceProvider();
        return _services.GetRequiredService<IFlagProviders>().Find("unleash").ShouldNotBeNull();
    }
}
