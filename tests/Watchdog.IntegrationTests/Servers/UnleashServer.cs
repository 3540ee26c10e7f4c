using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A real Unleash 8.2 on 127.0.0.1, on a throwaway PostgreSQL of its own, both started once per test collection by
/// <c>scripts/start-postgres.sh</c> and <c>scripts/start-unleash.sh</c> and stopped by PID when it ends, pass or fail.
/// Tests share it and keep apart by giving each flag a name of its own. <see cref="Admin"/> is the test's own way in,
/// to arrange flags and to check what the provider did, beside the provider under test. <see cref="StartAsync"/> starts
/// one on a PostgreSQL the caller already runs (a database of its own there), which saves starting a second server.
/// </summary>
public sealed class UnleashServer : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    private readonly PostgresServer _postgres;
    private readonly bool _ownsPostgres;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watchdog-unleash-{Guid.NewGuid():N}");
    private int _pid;
    private bool _stopped;

    public Uri Url { get; private set; } = null!;

    /// <summary>The seeded admin API token (<c>*:*</c>).</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>The seeded backend token of the production environment, for the client API.</summary>
    public string ProductionClientToken { get; private set; } = "";

    /// <summary>A client on the Admin API with the admin token.</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>From starting the script to a healthy server, for the record (PostgreSQL not included).</summary>
    public TimeSpan StartTime { get; private set; }

    public UnleashServer()
    {
        _postgres = new PostgresServer();
        _ownsPostgres = true;
    }

    private UnleashServer(PostgresServer postgres) => _postgres = postgres;

    /// <summary>An Unleash on <paramref name="postgres"/>, which stays the caller's to stop; the caller disposes the Unleash.</summary>
    public static Task<UnleashServer> StartAsync(PostgresServer postgres) => ServerScript.StartedAsync(new UnleashServer(postgres));

    public async Task InitializeAsync()
    {
        // Fail, do not skip: without unleash-server installed the script exits 1 and says how to install it.
        if (_ownsPostgres)
        {
            await _postgres.InitializeAsync();
        }

        var started = Stopwatch.StartNew();
        await ServerScript.RunAsync("start-unleash.sh", ["install"], null, TimeSpan.FromMinutes(5));
        var exports = ServerScript.Exports(await ServerScript.RunAsync(
            "start-unleash.sh",
            ["start", _directory],
            new Dictionary<string, string> { ["PGPORT"] = _postgres.Port.ToString(CultureInfo.InvariantCulture), ["PGHOST"] = "127.0.0.1", ["PGUSER"] = "postgres" },
            ScriptTimeout));
        StartTime = started.Elapsed;
        Url = new Uri(exports["UNLEASH_URL"]);
        _pid = int.Parse(exports["UNLEASH_PID"], CultureInfo.InvariantCulture);
        AdminToken = exports["UNLEASH_ADMIN_TOKEN"].Trim('\'');
        ProductionClientToken = exports["UNLEASH_CLIENT_TOKEN_PROD"].Trim('\'');
        Admin = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", AdminToken);

        // If the test host is torn down without disposing fixtures, still do not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillUnleash();
    }

    /// <summary>Creates a flag in project <c>default</c>, adds each strategy to <paramref name="environment"/> and returns their ids, in order.</summary>
    public async Task<List<string>> CreateFlagAsync(string name, string environment, params JsonObject[] strategies)
    {
        using (var created = await Admin.PostAsJsonAsync("api/admin/projects/default/features", new { name, type = "release" }))
        {
            await SucceededAsync(created);
        }

        var ids = new List<string>();
        foreach (var strategy in strategies)
        {
            using var response = await Admin.PostAsync(
                $"api/admin/projects/default/features/{name}/environments/{environment}/strategies",
                new StringContent(strategy.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            await SucceededAsync(response);
            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }

        return ids;
    }

    /// <summary>The environment's strategies as the Admin API holds them.</summary>
    public async Task<JsonArray> StrategiesAsync(string name, string environment) =>
        JsonNode.Parse(await Admin.GetStringAsync($"api/admin/projects/default/features/{name}/environments/{environment}/strategies"))!.AsArray();

    /// <summary>Whether the flag is on in the environment, as the Admin API says.</summary>
    public async Task<bool> EnabledAsync(string name, string environment) =>
        JsonNode.Parse(await Admin.GetStringAsync($"api/admin/projects/default/features/{name}/environments/{environment}"))!["enabled"]!.GetValue<bool>();

    /// <summary>The flag as an SDK in production sees it (<c>/api/client/features/{name}</c>, the backend token).</summary>
    public async Task<JsonNode> ClientViewAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url, $"api/client/features/{name}"));
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", ProductionClientToken);
        using var response = await Admin.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Like EnsureSuccessStatusCode, with what Unleash said.</summary>
    public static async Task SucceededAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        try
        {
            await ServerScript.RunAsync("start-unleash.sh", ["stop", _directory], null, ScriptTimeout);
        }
        finally
        {
            KillUnleash();
            if (_ownsPostgres)
            {
                await _postgres.DisposeAsync();
            }
        }
    }

    private void KillUnleash()
    {
        if (_stopped || _pid == 0)
        {
            return;
        }

        _stopped = true;
        ServerScript.KillAndRemove(_pid, "node", _directory);
    }
}
