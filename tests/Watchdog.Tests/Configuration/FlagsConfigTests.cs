using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

/// <summary>The <c>flags:</c> list: each kind's settings and defaults, every mistake at its line, no token ever shown.</summary>
public sealed class FlagsConfigTests : IDisposable
{
    private const string Secret = "s3cret-flag-token";

    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_UnleashWithOnlyWhatIsRequired_TakesTheDefaults()
    {
        var result = _scenario.Load($$"""
            flags:
              - name: unleash
                kind: unleash
                url: http://127.0.0.1:4242
                environment: production
                token: {{Secret}}
            """);

        result.Errors.ShouldBeEmpty();
        var flags = result.Options!.Flags.ShouldHaveSingleItem();
        flags.Kind.ShouldBe("unleash");
        flags.Url.ShouldBe(new Uri("http://127.0.0.1:4242"));
        flags.Parameters["environment"].ShouldBe("production");
        flags.Parameters.ContainsKey("project").ShouldBeFalse();
        flags.Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        flags.MaxResponseBytes.ShouldBe(1024 * 1024);
        flags.ReadToken().ShouldBe(Secret);
    }

    [Fact]
    public void Load_HttpKindWithItsShape_IsReadAsParameters()
    {
        _scenario.Write("secrets/flags", $"{Secret}\n");
        var result = _scenario.Load("""
            flags:
              - name: in-house
                kind: HTTP
                url: https://flags.internal/api
                token_file: secrets/flags
                timeout: 3s
                max_response_bytes: 65536
                method: post
                write_path: /v2/flags/{flag}
                read_path: /v2/flags/{flag}
                headers: {X-Team: wms}
                fields: {feature: key, enabled: on, rollout_percentage: percent}
            """);

        result.Errors.ShouldBeEmpty();
        var flags = result.Options!.Flags.ShouldHaveSingleItem();
        flags.Kind.ShouldBe("http");
        flags.Timeout.ShouldBe(TimeSpan.FromSeconds(3));
        flags.MaxResponseBytes.ShouldBe(65536);
        flags.Parameters["headers.X-Team"].ShouldBe("wms");
        flags.Parameters["fields.rollout_percentage"].ShouldBe("percent");
        flags.ReadToken().ShouldBe(Secret);
    }

    [Fact]
    public void Load_EveryMistake_IsReportedAtItsLine_WithSuggestions()
    {
        var result = _scenario.Load($$"""
            flags:
              - name: unleash
                kind: unlesh
                url: not-a-url
                token: {{Secret}}
                token_env: FLAGS_TOKEN
                enviroment: production
              - name: unleash
                kind: unleash
                url: http://127.0.0.1:4242
                project: "bad name"
              - name: api
                kind: http
                url: http://127.0.0.1:9000
                method: DELETE
                read_path: /features
                fields: {feture: name}
                timeot: 5s
            """);

        var errors = result.Errors.Select(e => e.ToString()).ToList();
        errors.ShouldContain(_scenario.At(3, "flags[0].kind: unknown value 'unlesh' (expected unleash or http) (did you mean 'unleash'?)"));
        errors.ShouldContain(_scenario.At(4, "flags[0].url: 'not-a-url' is not an absolute http:// or https:// URL"));
        errors.ShouldContain(_scenario.At(2, "flags[0]: set at most one of token, token_file and token_env"));
        errors.ShouldContain(_scenario.At(8, "flags[1].name: duplicate flag provider name 'unleash' (also at flags[0])"));
        errors.ShouldContain(_scenario.At(8, "flags[1]: set exactly one of token, token_file and token_env (an Unleash admin API token)"));
        errors.ShouldContain(_scenario.At(11, "flags[1].project: 'bad name' is not an Unleash name (letters, digits, - _ . ~)"));
        errors.ShouldContain(_scenario.At(8, "flags[1]: environment: required for kind unleash (the environment whose strategies change, e.g. production)"));
        errors.ShouldContain(_scenario.At(15, "flags[2].method: unknown value 'DELETE' (expected PATCH or POST or PUT)"));
        errors.ShouldContain(_scenario.At(16, "flags[2].read_path: '/features' must contain {flag}, where the flag's name goes"));
        errors.ShouldContain(_scenario.At(17, "flags[2].fields: unknown field 'feture' (expected feature, enabled, rollout_percentage) (did you mean 'feature'?)"));
        errors.ShouldContain(_scenario.At(18, "flags[2].timeot: unknown key (did you mean 'timeout'?)"));
        string.Join("\n", errors).ShouldNotContain(Secret);
    }

    [Fact]
    public void Load_UnleashWithAMistypedKey_SuggestsTheKindsKey()
    {
        var result = _scenario.Load("""
            flags:
              - name: unleash
                kind: unleash
                url: http://127.0.0.1:4242
                token_env: WATCHDOG_TEST_FLAGS_TOKEN_UNSET
                environment: production
                projet: checkout
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(7, "flags[0].projet: unknown key for kind unleash (did you mean 'project'?)")]);
        result.Warnings.Select(e => e.ToString()).ShouldContain(_scenario.At(5, "flags[0].token_env: environment variable WATCHDOG_TEST_FLAGS_TOKEN_UNSET is not set here; every call of this provider fails until it is"));
    }

    [Fact]
    public void Load_AuthorizationHeaderOnHttp_IsRefused_WithoutQuotingIt()
    {
        var result = _scenario.Load($$"""
            flags:
              - name: api
                kind: http
                url: http://127.0.0.1:9000
                headers: {Authorization: Bearer {{Secret}}}
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(5, "flags[0].headers: set the token with token, token_file or token_env, not an Authorization header (headers are shown, tokens never)")]);
    }

    [Fact]
    public void Options_FormattedAsText_HideTheTokenAndHeaderValues()
    {
        var result = _scenario.Load($$"""
            flags:
              - name: api
                kind: http
                url: http://127.0.0.1:9000
                token: {{Secret}}
                headers: {X-Api-Key: {{Secret}}-header}
            """);

        var text = result.Options!.Flags.ShouldHaveSingleItem().ToString();
        text.ShouldContain("Name = api");
        text.ShouldContain("headers.X-Api-Key = ***");
        text.ShouldNotContain(Secret);
    }

    [Fact]
    public void ReadToken_FromAnUnsetVariable_NamesTheVariableNotAValue()
    {
        var options = new FlagProviderOptions { Name = "unleash", TokenEnv = "WATCHDOG_TEST_FLAGS_TOKEN_UNSET" };

        Should.Throw<InvalidOperationException>(options.ReadToken).Message
            .ShouldBe("flag provider 'unleash': environment variable WATCHDOG_TEST_FLAGS_TOKEN_UNSET (token_env) is not set");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("unleash", null)]
    [InlineData("unlesh", "unknown flag provider 'unlesh' (configured: unleash) (did you mean 'unleash'?)")]
    public void ProviderReference_WithOneProvider_MayBeOmitted_ButMustNameIt(string? provider, string? problem) =>
        FlagProviderReference.Problem([new FlagProviderOptions { Name = "unleash" }], provider).ShouldBe(problem);

    [Fact]
    public void ProviderReference_WithSeveralProviders_MustBeWritten() =>
        FlagProviderReference.Problem([new FlagProviderOptions { Name = "a" }, new FlagProviderOptions { Name = "b" }], null)
            .ShouldBe("several flag providers are configured (a, b): name one with provider:");

    [Fact]
    public void ProviderReference_WithoutProviders_SaysToConfigureOne() =>
        FlagProviderReference.Problem([], "unleash").ShouldBe("no flag provider is configured: add one under flags:");
}
