using System.Diagnostics;
using Npgsql;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A throwaway PostgreSQL 15 on 127.0.0.1, started once per test run by <c>scripts/start-postgres.sh</c> and
/// stopped when the run ends, pass or fail. Each test gets a fresh database of its own. A test that makes an outage
/// (<see cref="PauseAsync"/>, <see cref="ResumeAsync"/>) starts a server of its own rather than pausing the shared one.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Installations = "/usr/lib/postgresql";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watchdog-pg-{Guid.NewGuid():N}");
    private int _postmasterPid;
    private bool _stopped;

    public int Port { get; private set; }

    /// <summary>How long starting the server took, for the record.</summary>
    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        // Fail, do not skip: a store suite that silently did not run on PostgreSQL proves nothing.
        var installed = Directory.Exists(Installations)
            && Directory.EnumerateDirectories(Installations).Any(version => File.Exists(Path.Combine(version, "bin", "initdb")));
        if (!installed)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not installed (no {Installations}/15/bin/initdb). Run ./scripts/test.sh, which installs it, or apt-get install -y postgresql.");
        }

        var started = Stopwatch.StartNew();
        var exports = await RunScriptAsync("start");
        StartTime = started.Elapsed;
        var values = ServerScript.Exports(exports);
        Port = int.Parse(values["PGPORT"], System.Globalization.CultureInfo.InvariantCulture);
        _postmasterPid = int.Parse(values["PGPID"], System.Globalization.CultureInfo.InvariantCulture);

        // If the test host is torn down without disposing fixtures, still do not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillPostmaster();
    }

    /// <summary>Creates an empty database and returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"wd_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>An outage: the server stops (its clients' connections break); its data and port are kept.</summary>
    public Task PauseAsync() => RunScriptAsync("pause");

    /// <summary>The outage ends: the server runs again on the same data and port.</summary>
    public async Task ResumeAsync()
    {
        var values = ServerScript.Exports(await RunScriptAsync("resume"));
        _postmasterPid = int.Parse(values["PGPID"], System.Globalization.CultureInfo.InvariantCulture);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ToString();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunScriptAsync("stop");
        }
        finally
        {
            KillPostmaster();
        }
    }

    private void KillPostmaster()
    {
        if (_stopped || _postmasterPid == 0)
        {
            return;
        }

        _stopped = true;
        ServerScript.KillAndRemove(_postmasterPid, "postgres", _directory);
    }

    private Task<string> RunScriptAsync(string verb) =>
        ServerScript.RunAsync("start-postgres.sh", [verb, _directory], null, ScriptTimeout);
}
