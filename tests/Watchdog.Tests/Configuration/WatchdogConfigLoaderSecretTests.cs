namespace Watchdog.Tests.Configuration;

/// <summary>Errors and formatted options end up in terminals and logs, so no secret may appear in them.</summary>
public sealed class WatchdogConfigLoaderSecretTests : IDisposable
{
    private const string Secret = "s3cret";

    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_MistakesAroundEverySecret_NeverEchoATokenInErrorsOrWarnings()
    {
        var result = _scenario.Load($$"""
            http:
              tokens:
                - name: alice
                  role: on-call
                  token: {{Secret}}-alice
                  token_file: secrets/missing
                - name: alice
                  role: on-call
                  tokenn: {{Secret}}-typo
                - name: carol
                  role: on-call
                  token: [{{Secret}}-list]
            store:
              kind: postgres
              connection_string: {Password: {{Secret}}-db}
            sources:
              prometheus:
                url: http://127.0.0.1:9090
                bearer_token: {{Secret}}-bearer
                bearer_token_file: secrets/missing
                headers: {Authorization: [{{Secret}}-header]}
            """,
            new Dictionary<string, string?>
            {
                ["WATCHDOG__HTTP__TOKENS__0__TOKEN"] = $"{Secret}-env",
                ["WATCHDOG__HTTP__TOKENS__1__TOKENN"] = $"{Secret}-env-typo",
            });

        // Every token above sits next to a mistake; all of them must be reported, none of them quoted.
        var messages = result.Errors.Concat(result.Warnings).Select(e => e.ToString()).ToList();
        var all = string.Join("\n", messages);
        all.ShouldContain("http.tokens[0]: set exactly one of token and token_file");
        all.ShouldContain("http.tokens[0].token_file: file not found");
        all.ShouldContain("http.tokens[1].name: duplicate token name 'alice' (also at http.tokens[0])");
        all.ShouldContain("env http.tokens[1].tokenn: unknown key (did you mean 'token'?) (from WATCHDOG__HTTP__TOKENS__1__TOKENN)");
        all.ShouldContain("http.tokens[2].token: expected a single value");
        all.ShouldContain("store.connection_string: expected a single value");
        all.ShouldContain("sources.prometheus: set at most one of bearer_token and bearer_token_file");
        all.ShouldContain("sources.prometheus.headers.Authorization: expected a single value");
        all.ShouldNotContain(Secret);
    }

    [Fact]
    public void Options_FormattedAsText_HideTokensBearerTokenConnectionStringAndHeaderValues()
    {
        var result = _scenario.Load($$"""
            http:
              tokens:
                - name: alice
                  role: on-call
                  token: {{Secret}}-alice
            store:
              kind: postgres
              connection_string: Host=db;Password={{Secret}}-db
            sources:
              prometheus:
                url: http://127.0.0.1:9090
                bearer_token: {{Secret}}-bearer
                headers: {Authorization: {{Secret}}-header}
            """);

        var options = result.Options.ShouldNotBeNull();
        options.Http.Tokens[0].Token.ShouldBe($"{Secret}-alice");
        options.Sources.Prometheus!.BearerToken.ShouldBe($"{Secret}-bearer");
        options.Sources.Prometheus.Headers["Authorization"].ShouldBe($"{Secret}-header");
        options.Store.ConnectionString.ShouldBe($"Host=db;Password={Secret}-db");

        var texts = new[] { options.ToString(), options.Http.Tokens[0].ToString(), options.Store.ToString(), options.Sources.Prometheus.ToString() };
        texts[1].ShouldContain("alice");
        texts[3].ShouldContain("Authorization");
        texts.ShouldAllBe(t => !t.Contains(Secret, StringComparison.Ordinal));
    }
}
