using System.Diagnostics;
using System.Globalization;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// A real Alertmanager (Debian's <c>prometheus-alertmanager</c> 0.25) on 127.0.0.1, started by
/// <c>scripts/start-alertmanager.sh</c> with one webhook receiver, and stopped by its PID, pass or fail. The receiver
/// can be pointed elsewhere while it runs (<see cref="SendToAsync"/>).
/// </summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"watchdog-am-{Guid.NewGuid():N}");
    private readonly IReadOnlyDictionary<string, string> _settings;
    private int _pid;
    private bool _stopped;

    private AlertmanagerServer(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public Uri Url { get; private set; } = null!;

    /// <summary>Alertmanager's own log (debug level), for failure messages.</summary>
    public string LogPath => Path.Combine(_directory, "alertmanager.log");

    /// <param name="receiver">Where the webhook receiver sends notifications.</param>
    /// <param name="settings">Environment for the script: GROUP_INTERVAL, REPEAT_INTERVAL, RECEIVER_AUTH, ...</param>
    public static async Task<AlertmanagerServer> StartAsync(Uri receiver, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        // Fail, do not skip: a webhook test that silently did not run against Alertmanager proves nothing.
        if (!File.Exists("/usr/bin/prometheus-alertmanager"))
        {
            throw new InvalidOperationException(
                "Alertmanager is not installed (no /usr/bin/prometheus-alertmanager). Run ./scripts/test.sh, which installs it, or apt-get install -y prometheus-alertmanager.");
        }

        var server = new AlertmanagerServer(settings);
        var exports = await RunScriptAsync(settings, "start", server._directory, receiver.ToString());
        var values = ServerScript.Exports(exports);
        server.Url = new Uri(values["AM_URL"]);
        server._pid = int.Parse(values["AM_PID"], CultureInfo.InvariantCulture);

        // If the test host is torn down without disposing fixtures, still do not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
        return server;
    }

    /// <summary>
    /// From now on the webhook receiver sends to <paramref name="receiver"/> (the configuration rewritten with the same
    /// settings, then <c>POST /-/reload</c>). Groups already notified are not sent again before their repeat interval.
    /// </summary>
    public Task SendToAsync(Uri receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        return RunScriptAsync(_settings, "reload", _directory, receiver.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunScriptAsync(new Dictionary<string, string>(), "stop", _directory);
        }
        finally
        {
            Kill();
        }
    }

    private void Kill()
    {
        if (_stopped || _pid == 0)
        {
            return;
        }

        _stopped = true;

        // "prometheus-alertmanager" is cut to 15 characters in the process table; the prefix still matches.
        ServerScript.KillAndRemove(_pid, "prometheus", _directory);
    }

    private static Task<string> RunScriptAsync(IReadOnlyDictionary<string, string> settings, params string[] arguments) =>
        ServerScript.RunAsync("start-alertmanager.sh", arguments, settings, ScriptTimeout);
}
