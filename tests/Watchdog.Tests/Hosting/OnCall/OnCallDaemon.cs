using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Hosting.OnCall;

/// <summary>
/// The real daemon on loopback for the on-call verbs: a real SQLite store, the HTTP API with an on-call and a
/// team-lead token, and one target whose latency breach asks a team lead to approve a webhook rollback.
/// Started once for the test class.
/// </summary>
public sealed class OnCallDaemon : IAsyncLifetime, IDisposable
{
    public const string OnCallToken = "alice-on-call-secret";
    public const string LeadToken = "lena-team-lead-secret";

    private readonly FakeSignalSource _signals = new();
    private LoopbackReceiver _ci = null!;
    private WebApplication _app = null!;

    internal TempDirectory Folder { get; } = new();

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _ci = await LoopbackReceiver.StartAsync(200);
        _signals.Values = (_, signal) => SignalValue.Of(signal == "latency" ? 3 : 0.01);
        Folder.Write("policy.yaml", """
            name: oncall
            matrix:
              - {id: slow, when: "latency > 2", action: rollback, authority: team-lead}
            """);
        var config = WatchdogConfigLoader.Load(Folder.Write("watchdog.yaml", $$"""
            http:
              listen: http://127.0.0.1:0
              tokens:
                - {name: alice, role: on-call, token: {{OnCallToken}}}
                - {name: lena, role: team-lead, token: {{LeadToken}}}
            store: {path: watchdog.db}
            policies: [policy.yaml]
            defaults: {interval: 200ms, cooldown: 10m}
            targets:
              - name: checkout
                policy: oncall
                plans:
                  rollback:
                    - action: webhook
                      url: "{{_ci.Url("/jobs/rollback")}}"
            """), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
        config.Errors.ShouldBeEmpty(string.Join("\n", config.Errors));
        _app = WatchdogHost.Build(config, [], services => services.AddSingleton<ISignalSource>(_signals));
        await _app.StartAsync();
        Url = _app.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _ci.DisposeAsync();
    }

    public void Dispose() => Folder.Dispose();
}
