using System.Text.Json;
using Watchdog.IntegrationTests.Faults;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.HighAvailability;

/// <summary>
/// Several real daemon processes on one configuration (one PostgreSQL database, one cluster), each with its own identity
/// (<c>replica-0</c>, ...), and the questions the HA tests ask of them: who leads, and until a given one does.
/// </summary>
internal sealed class Replicas : IAsyncDisposable
{
    private readonly List<(DaemonProcess Daemon, DaemonApi Api)> _replicas = [];

    private Replicas()
    {
    }

    public IReadOnlyList<DaemonApi> Apis => [.. _replicas.Select(r => r.Api)];

    public static async Task<Replicas> StartAsync(string configPath, int count, ITestOutputHelper output)
    {
        // Side by side, as a Deployment's pods start: one at a time, the first would lead and act long before the last is up.
        var replicas = new Replicas();
        var starts = Enumerable.Range(0, count)
            .Select(i => DaemonProcess.StartAsync(configPath, output, new Dictionary<string, string> { ["WATCHDOG__HA__IDENTITY"] = $"replica-{i}" }, DaemonReadiness.Listening))
            .ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            // The ones that did start are stopped, and the failure is the caller's.
            foreach (var started in starts.Where(t => t.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            throw;
        }

        foreach (var start in starts)
        {
            var daemon = await start;
            replicas._replicas.Add((daemon, new DaemonApi(daemon)));
        }

        return replicas;
    }

    public DaemonProcess Daemon(int index) => _replicas[index].Daemon;

    public DaemonApi Api(int index) => _replicas[index].Api;

    /// <summary>What <c>GET /api/v1/ha</c> says on replica <paramref name="index"/>.</summary>
    public Task<JsonElement> HaAsync(int index) => _replicas[index].Api.GetJsonAsync("api/v1/ha");

    /// <summary>The index of the one replica (of those in <paramref name="among"/>) that says it leads, once exactly one does.</summary>
    public async Task<int> LeaderAsync(IReadOnlyList<int>? among = null, TimeSpan? within = null)
    {
        among ??= [.. Enumerable.Range(0, _replicas.Count)];
        return await _replicas[among[0]].Api.UntilAsync<int>(
            async () =>
            {
                var leaders = new List<int>();
                foreach (var index in among)
                {
                    if ((await HaAsync(index)).GetProperty("role").GetString() == "leader")
                    {
                        leaders.Add(index);
                    }
                }

                return leaders.Count == 1 ? leaders[0] : null;
            },
            $"exactly one of replicas {string.Join(", ", among)} leads",
            within);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (daemon, api) in _replicas)
        {
            api.Dispose();
            await daemon.DisposeAsync();
        }
    }
}
