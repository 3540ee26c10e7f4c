namespace Watchdog.Tests.Configuration;

public sealed class WatchdogConfigLoaderErrorTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_ConfigWithThreeMistakes_ReportsAllThreeWithPathsAndLines()
    {
        var result = _scenario.Load("""
            sources:
              prometheus:
                url: http://127.0.0.1:9090
            signals:
              error_rate:
                source: prometheus
                query: 'rate(errors{app="{{target}}"}[1m])'
            policies:
              - policies/matrix.yaml
            notifications:
              - name: incidents
                kind: slack
                url: hooks.example/T000
            targets:
              - name: checkout
                policy: runbok-matrix
                health:
                  - url: http://checkout/healthz
                    timeout: 2 seconds
            """);

        result.Options.ShouldBeNull();
        result.IsValid.ShouldBeFalse();
        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(13, "notifications[0].url: 'hooks.example/T000' is not an absolute http:// or https:// URL"),
                _scenario.At(19, "targets[0].health[0].timeout: '2 seconds' is not a duration (write e.g. 15s, 1m30s, 250ms)"),
                _scenario.At(16, "targets[0].policy: unknown policy 'runbok-matrix' (did you mean 'runbook-matrix'?)"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_MisspelledKey_IsAnUnknownKeyWithTheClosestSuggestion()
    {
        var result = _scenario.Load("""
            targets:
              - name: checkout
                polciy: runbook-matrix
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(3, "targets[0].polciy: unknown key (did you mean 'policy'?)"),
                _scenario.At(2, "targets[0].policy: required"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_UnknownKeyWithNoCloseMatch_ListsTheKeysThatAreAllowed()
    {
        var result = _scenario.Load("""
            logging:
              colour: true
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(2, "logging.colour: unknown key (expected one of: format, level)")]);
    }

    [Fact]
    public void Load_DuplicateTargetNames_ReportsTheSecondWithThePathOfTheFirst()
    {
        var result = _scenario.Load(ConfigSamples.Minimal + """

              - name: checkout
                policy: runbook-tree
            """);

        result.Options.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(16, "targets[1].name: duplicate target name 'checkout' (also at targets[0])")]);
    }

    [Theory]
    [InlineData("15 s", "'15 s' is not a duration (write e.g. 15s, 1m30s, 250ms)")]
    [InlineData("15", "'15' is not a duration (write e.g. 15s, 1m30s, 250ms)")]
    [InlineData("0s", "must be greater than 0")]
    public void Load_BadTargetInterval_ReportsPathAndLine(string interval, string message)
    {
        var result = _scenario.Load(ConfigSamples.Minimal + $"\n    interval: {interval}");

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(16, $"targets[0].interval: {message}")]);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:9090")]
    [InlineData("127.0.0.1:9090")]
    [InlineData("/api/v1")]
    public void Load_BadPrometheusUrl_ReportsPathAndLine(string url)
    {
        var result = _scenario.Load(ConfigSamples.Minimal.Replace("http://127.0.0.1:9090", url, StringComparison.Ordinal));

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(3, $"sources.prometheus.url: '{url}' is not an absolute http:// or https:// URL")]);
    }

    [Fact]
    public void Load_TargetWithoutNameOrPolicy_ReportsEachAsRequiredAtTheTargetsLine()
    {
        var result = _scenario.Load("""
            targets:
              - interval: 15s
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(2, "targets[0].name: required"), _scenario.At(2, "targets[0].policy: required")],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_InvalidTargetName_IsAnError()
    {
        var result = _scenario.Load(ConfigSamples.Minimal.Replace("name: checkout", "name: Checkout!", StringComparison.Ordinal));

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(12, "targets[0].name: 'Checkout!' is not a valid target name (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)")]);
    }

    [Fact]
    public void Load_WrongShapes_SayWhatWasExpected()
    {
        var result = _scenario.Load("""
            http: [http://127.0.0.1:8080]
            logging: json
            policies: policies/matrix.yaml
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(1, "http: expected a mapping of settings, not a list"),
                _scenario.At(2, "logging: expected a mapping of settings, not a single value"),
                _scenario.At(3, "policies: expected a list, not a single value"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_BadChoices_NameTheAllowedValues()
    {
        var result = _scenario.Load("""
            policies:
              - policies/tree.yaml
            targets:
              - name: checkout
                policy: runbook-tree
                health:
                  - url: http://checkout/healthz
                    method: GE T
                    expect_status: 2xx
            logging:
              format: xml
              level: Verbose
            store:
              kind: postgress
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(8, "targets[0].health[0].method: 'GE T' is not an HTTP method (e.g. GET, HEAD, POST)"),
                _scenario.At(9, "targets[0].health[0].expect_status: '2xx' is not a status code or range between 100 and 599 (e.g. 200 or 200-299)"),
                _scenario.At(11, "logging.format: unknown value 'xml' (expected text or json)"),
                _scenario.At(12, "logging.level: unknown value 'Verbose' (expected Trace or Debug or Information or Warning or Error or Critical or None)"),
                _scenario.At(14, "store.kind: unknown value 'postgress' (expected sqlite or postgres) (did you mean 'postgres'?)"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_PostgresStoreWithoutConnectionString_IsAnError()
    {
        var result = _scenario.Load(ConfigSamples.Minimal + """

            store:
              kind: postgres
            """);

        // A missing key has no line of its own; the error points at its section.
        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(16, "store.connection_string: required")]);
    }

    [Fact]
    public void Load_PlanForSomethingThatIsNotAnAction_IsAnErrorWithSuggestion()
    {
        var result = _scenario.Load(ConfigSamples.Minimal + """

                plans:
                  rolback:
                    - action: deployment-undo
                  rollback:
                    - deployment: checkout
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(17, "targets[0].plans.rolback: 'rolback' is not an action (expected one of: none, monitor, investigate, scale, scale-then-rollback, rollback, stop-writes) (did you mean 'rollback'?)"),
                _scenario.At(20, "targets[0].plans.rollback[0].action: required"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_TokenWithBothOrNeitherSource_IsAnError()
    {
        var result = _scenario.Load(ConfigSamples.Minimal + """

            http:
              tokens:
                - name: alice
                  role: on-call
                - name: bob
                  role: cto
                  token: t
                  token_file: secrets/bob
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(18, "http.tokens[0]: set exactly one of token and token_file"),
                _scenario.At(23, $"http.tokens[1].token_file: file not found: {Path.Combine(_scenario.Folder, "secrets", "bob")}"),
                _scenario.At(20, "http.tokens[1]: set exactly one of token and token_file"),
            ],
            ignoreOrder: true);
    }
}
