using System.Text.Json;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Hosting.OnCall;
using Watchdog.TestSupport;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting.OnCall;

/// <summary>
/// The on-call verbs (<c>status</c>, <c>incidents</c>, <c>approvals</c>, <c>approve</c>, <c>reject</c>) against the
/// real daemon on loopback: what they print, and the API's refusals (401, 404) as words and exit codes. Nothing here
/// decides the approval; <see cref="OnCallDecisionEndToEndTests"/> does, on a daemon of its own.
/// </summary>
public sealed class OnCallCliEndToEndTests(OnCallDaemon daemon) : IClassFixture<OnCallDaemon>, IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly Dictionary<string, string?> _environment = [];

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task Status_ShowsEachTargetsDecisionSignalsAndOpenIncident()
    {
        await PendingApprovalAsync();

        var exit = await Invoke("status", "--server", daemon.Url);

        exit.ShouldBe(0, _error.ToString());
        var lines = _output.ToString().Split('\n');
        lines[0].ShouldMatch(@"^TARGET\s+DECISION\s+SIGNALS\s+INCIDENT$");
        lines[1].ShouldMatch(@"^checkout\s+rollback \(team-lead, rule slow\)\s+latency=3\s+#\d+ since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(slow\)$");
        // Columns line up: each header starts where its values do.
        lines[1].IndexOf("rollback", StringComparison.Ordinal).ShouldBe(lines[0].IndexOf("DECISION", StringComparison.Ordinal));
        lines[1].IndexOf("latency=", StringComparison.Ordinal).ShouldBe(lines[0].IndexOf("SIGNALS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusJson_PrintsTheApiAnswerAsItCame()
    {
        await PendingApprovalAsync();

        var exit = await Invoke("status", "--server", daemon.Url, "--json");

        exit.ShouldBe(0, _error.ToString());
        using var printed = JsonDocument.Parse(_output.ToString());
        var target = printed.RootElement.EnumerateArray().ShouldHaveSingleItem();
        target.GetProperty("name").GetString().ShouldBe("checkout");
        target.GetProperty("decision").GetProperty("rule").GetString().ShouldBe("slow");
        target.GetProperty("openIncident").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task NoServerGiven_TakesHttpPublicUrlOfTheConfig()
    {
        await PendingApprovalAsync();
        var config = daemon.Folder.Write("cli.yaml", $"""
            http:
              public_url: {daemon.Url}
            """);
        var cli = new WatchdogCli(loadConfig: path => WatchdogConfigLoader.Load(path, WatchdogPlugins.Registry(), new Dictionary<string, string?>()), environment: Environment);

        var exit = await cli.InvokeAsync(["status", "--config", config], _output, _error);

        exit.ShouldBe(0, _error.ToString());
        _output.ToString().ShouldContain("checkout");
    }

    [Fact]
    public async Task Incidents_ListsThem_AndOneIdShowsItsSummaryTimelineOrMarkdown()
    {
        var incident = (await PendingApprovalAsync()).GetProperty("incidentId").GetInt64();

        (await Invoke("incidents", "--server", daemon.Url)).ShouldBe(0, _error.ToString());
        var list = _output.ToString().Split('\n');
        list[0].ShouldMatch(@"^ID\s+TARGET\s+STATUS\s+DETECTED\s+RULE\s+SUMMARY$");
        list.ShouldContain(line => line.StartsWith($"{incident} ", StringComparison.Ordinal) && line.Contains("checkout", StringComparison.Ordinal) && line.Contains(" open ", StringComparison.Ordinal));

        _output.GetStringBuilder().Clear();
        (await Invoke("incidents", incident.ToString(System.Globalization.CultureInfo.InvariantCulture), "--server", daemon.Url)).ShouldBe(0, _error.ToString());
        _output.ToString().ShouldStartWith($"incident #{incident}: checkout, open\ndetected ");
        _output.ToString().ShouldMatch(@"(?m)^AT\s+OFFSET\s+KIND\s+SUMMARY$");

        _output.GetStringBuilder().Clear();
        (await Invoke("incidents", incident.ToString(System.Globalization.CultureInfo.InvariantCulture), "--md", "--server", daemon.Url)).ShouldBe(0, _error.ToString());
        _output.ToString().ShouldStartWith("# Rollback Incident Report");
    }

    [Fact]
    public async Task IncidentsUnknownId_Is404InWordsAndExitsOne()
    {
        var exit = await Invoke("incidents", "987654", "--server", daemon.Url);

        exit.ShouldBe(OnCallCommands.Refused);
        _error.ToString().Trim().ShouldBe("watchdog: 404 not found: no incident 987654");
        _output.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Approvals_WithoutToken_Is401SayingWhereTheTokenComesFrom()
    {
        await PendingApprovalAsync();

        var exit = await Invoke("approvals", "--server", daemon.Url);

        exit.ShouldBe(OnCallCommands.Refused);
        _error.ToString().Trim().ShouldBe("watchdog: 401 unauthorized: a valid bearer token is required (no token given: set WATCHDOG_TOKEN or --token-file)");
    }

    [Fact]
    public async Task Approvals_WithAWrongToken_Is401AndTheTokenIsNeverPrinted()
    {
        _environment["WATCHDOG_TOKEN"] = "not-a-configured-token";

        var exit = await Invoke("approvals", "--server", daemon.Url);

        exit.ShouldBe(OnCallCommands.Refused);
        _error.ToString().Trim().ShouldBe("watchdog: 401 unauthorized: a valid bearer token is required (the token of WATCHDOG_TOKEN or --token-file is not one of http.tokens)");
        (_output.ToString() + _error).ShouldNotContain("not-a-configured-token");
    }

    [Fact]
    public async Task Approvals_WithTheTokenFromATokenFile_ListsThePendingOne()
    {
        var pending = await PendingApprovalAsync();
        var tokenFile = daemon.Folder.Write("token", OnCallDaemon.OnCallToken + "\n");

        var exit = await Invoke("approvals", "--server", daemon.Url, "--token-file", tokenFile);

        exit.ShouldBe(0, _error.ToString());
        var lines = _output.ToString().Split('\n');
        lines[0].ShouldMatch(@"^ID\s+TARGET\s+ACTION\s+NEEDS\s+STATUS\s+REQUESTED\s+INCIDENT\s+DECIDED BY$");
        lines[1].ShouldMatch($@"^{pending.GetProperty("id").GetInt64()}\s+checkout\s+rollback\s+team-lead\s+pending\s+\S+ \S+ UTC\s+#{pending.GetProperty("incidentId").GetInt64()}\s+-$");
        _output.ToString().ShouldNotContain(OnCallDaemon.OnCallToken);
    }

    [Fact]
    public async Task UnreachableServer_SaysSoAndExitsTwo()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";

        var exit = await Invoke("status", "--server", url);

        exit.ShouldBe(OnCallCommands.NotAsked);
        _error.ToString().ShouldStartWith($"watchdog: cannot reach {url}/: ");
        _output.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task UnreadableTokenFile_SaysSoAndAsksNothing()
    {
        var exit = await Invoke("approvals", "--server", daemon.Url, "--token-file", Path.Combine(daemon.Folder.Path, "missing-token"));

        exit.ShouldBe(OnCallCommands.NotAsked);
        _error.ToString().ShouldStartWith($"watchdog: cannot read --token-file {Path.Combine(daemon.Folder.Path, "missing-token")}: ");
    }

    /// <summary>The approval the latency breach asks for, once the daemon has asked.</summary>
    internal static async Task<JsonElement> ApprovalAsync(OnCallDaemon daemon)
    {
        using var http = new HttpClient { BaseAddress = new Uri(daemon.Url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", OnCallDaemon.LeadToken);
        JsonElement approval = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/approvals"));
                var any = list.RootElement.GetArrayLength() > 0;
                if (any)
                {
                    approval = list.RootElement[0].Clone();
                }

                return any;
            },
            "the daemon asks a team lead to approve the rollback");
        return approval;
    }

    private string? Environment(string name) => _environment.GetValueOrDefault(name);

    private Task<int> Invoke(params string[] args) => new WatchdogCli(environment: Environment).InvokeAsync(args, _output, _error);

    private Task<JsonElement> PendingApprovalAsync() => ApprovalAsync(daemon);
}
