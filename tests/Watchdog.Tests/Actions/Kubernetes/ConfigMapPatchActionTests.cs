using System.Text.Json.Nodes;
using Watchdog.Actions;
using Watchdog.Actions.Kubernetes;
using Watchdog.Tests.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary><c>configmap-patch</c>: its checks, and its requests against the simulator.</summary>
public sealed class ConfigMapPatchActionTests : IAsyncLifetime
{
    private const string Path = "/api/v1/namespaces/production/configmaps/wakala-config";
    private const string Display = "configmap/production/wakala-config";

    private const string WakalaConfig = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"wakala-config","namespace":"production"},
         "data":{"CIRCUIT_BREAKER_ENABLED":"false","LOG_LEVEL":"info","OLD_FLAG":"1"}}
        """;

    private static readonly Dictionary<string, string> CircuitBreaker = new()
    {
        ["configmap"] = "wakala-config",
        ["namespace"] = "production",
        ["data.CIRCUIT_BREAKER_ENABLED"] = "true",
        ["data.CIRCUIT_BREAKER_THRESHOLD"] = "10",
        ["data.CIRCUIT_BREAKER_TIMEOUT"] = "60",
    };

    private SimulatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await SimulatorHarness.StartAsync(WakalaConfig);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private JsonObject Data => _h.Simulator.Get("v1", "ConfigMap", "production", "wakala-config")!["data"]!.AsObject();

    // The simulator keeps keys in write order where the API server sorts them; compare them sorted.
    private string SortedData => string.Join(", ", Data.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value!.GetValue<string>()}"));

    private string ResourceVersion => _h.Simulator.Get("v1", "ConfigMap", "production", "wakala-config")!["metadata"]!["resourceVersion"]!.GetValue<string>();

    private Task<ActionResult> RunAsync(Dictionary<string, string> parameters) => _h.RunAsync(new ConfigMapPatchAction(_h.Connection), parameters);

    [Fact]
    public void Validate_TheRunbookStep_IsValid() =>
        ConfigMapPatchAction.ValidateParameters(CircuitBreaker).ShouldBeEmpty();

    [Fact]
    public void Validate_EveryProblem_IsReportedAtOnce()
    {
        var errors = ConfigMapPatchAction.ValidateParameters(new Dictionary<string, string>
        {
            ["configmap"] = "Wakala_Config",
            ["namespace"] = "Prod",
            ["data.OK"] = "1",
            ["data.bad key"] = "x",
            ["remove"] = "OK, ..x",
            ["colour"] = "red",
        });

        errors.ShouldBe(
        [
            "configmap: 'Wakala_Config' is not an object name (lower-case letters, digits, '-' and '.', at most 253, starting and ending with a letter or digit)",
            "namespace: 'Prod' is not a namespace name (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)",
            "data.bad key: 'bad key' is not a ConfigMap key (letters, digits, '-', '_' and '.'; not '.' or '..' or starting with '..')",
            "remove: '..x' is not a ConfigMap key (letters, digits, '-', '_' and '.'; not '.' or '..' or starting with '..')",
            "remove: 'OK' is also set under data",
            "colour: unknown parameter (configmap, namespace, data, remove)",
        ]);
    }

    [Fact]
    public void Validate_NothingGiven_AsksForTheNameAndTheData() =>
        ConfigMapPatchAction.ValidateParameters(new Dictionary<string, string>()).ShouldBe(
        [
            "configmap: required, the ConfigMap's name",
            "data: required, one or more KEY: value pairs to set in the ConfigMap's data",
        ]);

    [Fact]
    public void Validate_KeysTheServerWouldRefuse_AreConfigErrors()
    {
        var tooLong = new string('k', 254);
        var errors = ConfigMapPatchAction.ValidateParameters(new Dictionary<string, string>
        {
            ["configmap"] = "wakala-config", ["data.."] = "x", ["data.a/b"] = "x", ["data.ok\n"] = "x", ["data." + tooLong] = "x", ["data.Mixed-Case_ok.1"] = "x",
        });

        errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]).ShouldBe(["data..", "data.a/b", "data.ok\n", "data." + tooLong], ignoreOrder: true);
    }

    [Theory]
    [InlineData("configmap", "secret/db-password")]
    [InlineData("secret", "db-password")]
    [InlineData("kind", "Secret")]
    public void Validate_AnythingPointingAtASecret_IsRefused(string key, string value)
    {
        var parameters = new Dictionary<string, string> { ["configmap"] = "wakala-config", ["data.X"] = "1", [key] = value };

        ConfigMapPatchAction.ValidateParameters(parameters).ShouldHaveSingleItem()
            .ShouldEndWith("Watchdog never reads, saves or changes Secrets; configmap-patch changes ConfigMaps only");
    }

    [Fact]
    public async Task Patch_SavesTheConfigMap_ThenSendsOneMergePatchWithTheResourceVersion_AndPostsAnEvent()
    {
        var resourceVersion = ResourceVersion;

        var result = await RunAsync(CircuitBreaker);

        result.Succeeded.ShouldBeTrue(result.Summary);
        result.Summary.ShouldBe($"patched {Display}: set CIRCUIT_BREAKER_ENABLED, CIRCUIT_BREAKER_THRESHOLD, CIRCUIT_BREAKER_TIMEOUT");
        result.Before.ShouldBe($"{Display} CIRCUIT_BREAKER_ENABLED=\"false\", CIRCUIT_BREAKER_THRESHOLD=(absent), CIRCUIT_BREAKER_TIMEOUT=(absent)");
        result.After.ShouldBe($"{Display} CIRCUIT_BREAKER_ENABLED=\"true\", CIRCUIT_BREAKER_THRESHOLD=\"10\", CIRCUIT_BREAKER_TIMEOUT=\"60\"");
        _h.Handler.Requests.Select(r => $"{r.Method} {r.Path}{r.Query}").ShouldBe(
            [$"GET {Path}", $"PATCH {Path}?fieldManager=watchdog", "POST /api/v1/namespaces/production/events"]);
        var patch = _h.Handler.Patches.Single();
        patch.ContentType.ShouldBe("application/merge-patch+json");
        const string Body = """{"metadata":{"resourceVersion":"RV"},"data":{"CIRCUIT_BREAKER_ENABLED":"true","CIRCUIT_BREAKER_THRESHOLD":"10","CIRCUIT_BREAKER_TIMEOUT":"60"}}""";
        patch.Body.ShouldBe(Body.Replace("RV", resourceVersion, StringComparison.Ordinal));
        SortedData.ShouldBe("CIRCUIT_BREAKER_ENABLED=true, CIRCUIT_BREAKER_THRESHOLD=10, CIRCUIT_BREAKER_TIMEOUT=60, LOG_LEVEL=info, OLD_FLAG=1");

        var saved = _h.Journal.Saved.ShouldHaveSingleItem();
        saved.What.ShouldBe(Display);
        saved.RequestsBefore.ShouldBe(1); // after the GET, before the PATCH
        JsonNode.Parse(saved.Json)!["data"]!["CIRCUIT_BREAKER_ENABLED"]!.GetValue<string>().ShouldBe("false");

        var posted = (await _h.EventsAsync("production")).ShouldHaveSingleItem();
        (posted.Type, posted.Reason).ShouldBe(("Normal", ConfigMapPatchAction.EventReason));
        (posted.InvolvedObject.Kind, posted.InvolvedObject.ApiVersion, posted.InvolvedObject.Name).ShouldBe(("ConfigMap", "v1", "wakala-config"));
        posted.Message.ShouldBe($"Watchdog {result.Summary} (incident 12: error_rate > 0.1 [0.12: true])");
    }

    [Fact]
    public async Task RefusedEvent_DoesNotFailTheStep_ButGoesOnTheTimeline()
    {
        _h.Handler.RefuseEvents();

        var result = await RunAsync(CircuitBreaker);

        result.Succeeded.ShouldBeTrue(result.Summary);
        JsonNode.Parse(result.Detail!)!["eventPosted"]!.GetValue<bool>().ShouldBeFalse();
        _h.Journal.Progress.ShouldBe([$"event on {Display} not posted"]);
        Data["CIRCUIT_BREAKER_ENABLED"]!.GetValue<string>().ShouldBe("true");
    }

    [Fact]
    public async Task Remove_DeletesKeysWithNullInTheSamePatch()
    {
        var result = await RunAsync(new() { ["configmap"] = "wakala-config", ["namespace"] = "production", ["data.LOG_LEVEL"] = "debug", ["remove"] = "OLD_FLAG, NOT_THERE" });

        result.Summary.ShouldBe($"patched {Display}: set LOG_LEVEL; removed OLD_FLAG");
        result.After.ShouldBe($"{Display} LOG_LEVEL=\"debug\", OLD_FLAG=(absent)");
        JsonNode.Parse(_h.Handler.Patches.Single().Body)!["data"]!.ToJsonString().ShouldBe("""{"LOG_LEVEL":"debug","NOT_THERE":null,"OLD_FLAG":null}""");
        SortedData.ShouldBe("CIRCUIT_BREAKER_ENABLED=false, LOG_LEVEL=debug");
    }

    [Fact]
    public async Task EveryKeyAlreadyAsAsked_IsSkipped_WithoutSavingOrPatching()
    {
        var resourceVersion = ResourceVersion;

        var result = await RunAsync(new() { ["configmap"] = "wakala-config", ["namespace"] = "production", ["data.LOG_LEVEL"] = "info", ["remove"] = "NOT_THERE" });

        result.Succeeded.ShouldBeTrue();
        result.Summary.ShouldBe($"skipped (already has these values and none of the removed keys): {Display}");
        result.Before.ShouldBe(result.After);
        _h.Handler.Patches.ShouldBeEmpty();
        _h.Journal.Saved.ShouldBeEmpty();
        ResourceVersion.ShouldBe(resourceVersion);
    }

    [Fact]
    public async Task LongValues_AreShortenedInBeforeAndAfter_ButPatchedWhole()
    {
        var value = string.Concat(Enumerable.Repeat("0123456789", 20));

        var result = await RunAsync(new() { ["configmap"] = "wakala-config", ["namespace"] = "production", ["data.ROUTES"] = value });

        result.After.ShouldBe($"{Display} ROUTES=\"{value[..77]}...\"");
        Data["ROUTES"]!.GetValue<string>().ShouldBe(value);
    }

    [Fact]
    public async Task ImmutableConfigMap_IsRefusedBeforeAnyChange_WithAWarningEvent()
    {
        _h.Simulator.Create("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"frozen","namespace":"production"},"immutable":true,"data":{"A":"1"}}""");

        var result = await RunAsync(new() { ["configmap"] = "frozen", ["namespace"] = "production", ["data.A"] = "2" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe("configmap/production/frozen is immutable (immutable: true): its data cannot be changed, only the ConfigMap replaced");
        _h.Handler.Patches.ShouldBeEmpty();
        _h.Journal.Saved.ShouldBeEmpty();
        (await _h.EventsAsync("production")).ShouldHaveSingleItem().Type.ShouldBe("Warning");
    }

    [Fact]
    public async Task MissingConfigMap_FailsAsNotFound_WithNothingSaved()
    {
        await _h.DeleteDirectlyAsync(Path);

        var result = await RunAsync(CircuitBreaker);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe($"{Display} not found");
        _h.Journal.Saved.ShouldBeEmpty();
        _h.Handler.Patches.ShouldBeEmpty();
    }

    [Fact]
    public async Task ConcurrentChange_IsAConflict_AndNoKeyIsPatched()
    {
        _h.Handler.Before = async request =>
        {
            if (request.Method == "PATCH")
            {
                _h.Handler.Before = null;
                await _h.PatchDirectlyAsync(Path, "application/merge-patch+json", """{"data":{"LOG_LEVEL":"warn"}}""");
            }
        };

        var result = await RunAsync(CircuitBreaker);

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe($"conflict: the ConfigMap changed since Watchdog read it; not patched ({Display})");
        result.Before.ShouldStartWith($"{Display} CIRCUIT_BREAKER_ENABLED=\"false\"");
        SortedData.ShouldBe("CIRCUIT_BREAKER_ENABLED=false, LOG_LEVEL=warn, OLD_FLAG=1");
        var warning = (await _h.EventsAsync("production")).ShouldHaveSingleItem();
        warning.Type.ShouldBe("Warning");
        warning.Message.ShouldBe($"Watchdog did not patch {Display} (incident 12): {result.Summary}");
    }

    [Fact]
    public async Task LostAnswer_TheRetriedPatchFailsItsOwnPrecondition_AndIsNoConflict()
    {
        _h.Handler.LoseNextPatchAnswer();

        var result = await RunAsync(CircuitBreaker);

        result.Succeeded.ShouldBeTrue(result.Summary);
        _h.Handler.Patches.Count().ShouldBe(2);
        Data["CIRCUIT_BREAKER_TIMEOUT"]!.GetValue<string>().ShouldBe("60");
    }

    [Fact]
    public async Task InvalidKeyReachingTheServer_Fails422_WithTheServersWords_AndChangesNothing()
    {
        // Validation stops this at load time; a step run without it must still fail cleanly.
        var result = await RunAsync(new() { ["configmap"] = "wakala-config", ["namespace"] = "production", ["data.CIRCUIT_BREAKER_ENABLED"] = "true", ["data.bad key"] = "x" });

        result.Succeeded.ShouldBeFalse();
        result.Summary.ShouldBe(
            $"Kubernetes API error on {Display}: ConfigMap \"wakala-config\" is invalid: data[bad key]: Invalid value: \"bad key\": " +
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
        Data["CIRCUIT_BREAKER_ENABLED"]!.GetValue<string>().ShouldBe("false");
    }
}
