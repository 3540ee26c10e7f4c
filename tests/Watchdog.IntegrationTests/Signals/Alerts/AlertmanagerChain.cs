using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Signals.Alerts;

/// <summary>
/// Watchdog's intake, then a real Alertmanager whose webhook receiver points at it (with a bearer token, as
/// <c>http_config</c> sends it), started once for the run. Short timings: group_wait 0s, group_interval 2s
/// (long enough to tell a retry within a flush from the next flush), repeat_interval 4s.
/// </summary>
public sealed class AlertmanagerChain : IAsyncLifetime
{
    public static readonly TimeSpan GroupInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromSeconds(4);

    internal IntakeHost Intake { get; private set; } = null!;

    public AlertmanagerServer Alertmanager { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Intake = await IntakeHost.StartAsync();
        Alertmanager = await AlertmanagerServer.StartAsync(Intake.WebhookUrl, new Dictionary<string, string>
        {
            ["GROUP_WAIT"] = "0s",
            ["GROUP_INTERVAL"] = $"{GroupInterval.TotalSeconds}s",
            ["REPEAT_INTERVAL"] = $"{RepeatInterval.TotalSeconds}s",
            ["RECEIVER_AUTH"] = IntakeHost.BearerToken,
        });
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Alertmanager.DisposeAsync();
        }
        finally
        {
            await Intake.DisposeAsync();
        }
    }
}
