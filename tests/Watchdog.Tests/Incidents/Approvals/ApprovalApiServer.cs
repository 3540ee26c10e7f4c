using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Approvals;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Incidents.Approvals;

/// <summary>
/// A minimal web application on 127.0.0.1 with <c>AddWatchdogApprovals</c> and <c>MapApprovalEndpoints</c>, over the
/// in-memory store and recording fakes; every response (status, headers, body) and log entry is kept.
/// </summary>
internal sealed class ApprovalApiServer : IAsyncDisposable
{
    public const string OnCallToken = "oncall-token-7f3a5c";
    public const string LeadToken = "lead-token-91bcd2";
    public const string WrongToken = "wrong-token-000e4f";

    private readonly LoopbackServer _server;
    private readonly HttpClient _http;

    private ApprovalApiServer(LoopbackServer server, ApprovalFakes fakes)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = server.Url };
        Time = fakes.Time;
        Store = fakes.Store;
        Executor = fakes.Executor;
        Logs = fakes.Logs;
        Outbox = fakes.Outbox;
    }

    public FakeTimeProvider Time { get; }

    public InMemoryWatchdogStore Store { get; }

    public RecordingApprovalOutcomeHandler Executor { get; }

    public RecordingLoggerProvider Logs { get; }

    /// <summary>Each response as "status\nheaders\nbody".</summary>
    public ConcurrentQueue<string> Responses { get; } = new();

    /// <summary>The <c>http.public_url</c> the approval messages' links start with.</summary>
    public const string PublicUrl = "https://watchdog.example.com";

    public RecordingNotificationOutbox Outbox { get; }

    public static async Task<ApprovalApiServer> StartAsync()
    {
        var fakes = new ApprovalFakes();
        var server = await LoopbackServer.StartAsync(app => app.MapApprovalEndpoints(), services => services
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(fakes.Logs))
            .AddSingleton<TimeProvider>(fakes.Time)
            .AddSingleton<IWatchdogStore>(fakes.Store)
            .AddSingleton<INotificationOutbox>(fakes.Outbox)
            .AddSingleton<IApprovalOutcomeHandler>(fakes.Executor)
            .AddWatchdogApprovals(
                new WatchdogOptions
                {
                    Http = new HttpOptions
                    {
                        PublicUrl = PublicUrl,
                        Tokens =
                        [
                            new ApiTokenOptions { Name = "pager", Role = Authority.OnCall, Token = OnCallToken },
                            new ApiTokenOptions { Name = "lead", Role = Authority.TeamLead, Token = LeadToken },
                        ],
                    },
                },
                new Dictionary<string, CompiledPolicy>()));
        return new ApprovalApiServer(server, fakes);
    }

    public Task<Approval> RequestAsync(Authority required, string target = "checkout") =>
        ApprovalScenario.RequestAsync(Store, _server.Services.GetRequiredService<IApprovalRequests>(), Time, required, target);

    public async Task<Approval> StoredAsync(long id) => (await Store.GetApprovalAsync(id, CancellationToken.None)).ShouldNotBeNull();

    /// <param name="token">Sent as <c>Authorization: Bearer</c>; when null, <paramref name="authorization"/> is sent as the raw header, if set.</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? json = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await _http.SendAsync(request);
        var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        Responses.Enqueue($"{(int)response.StatusCode}\n{headers}\n{await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await Store.DisposeAsync();
        Logs.Dispose();
    }

    private sealed class ApprovalFakes
    {
        public FakeTimeProvider Time { get; } = TestClock.Create();

        public InMemoryWatchdogStore Store { get; } = new();

        public RecordingApprovalOutcomeHandler Executor { get; } = new();

        public RecordingLoggerProvider Logs { get; } = new();

        public RecordingNotificationOutbox Outbox { get; } = new();
    }
}
