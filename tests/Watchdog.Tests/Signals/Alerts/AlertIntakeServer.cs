using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Alerts;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>
/// A minimal web application on a real Kestrel at 127.0.0.1 with <c>AddAlertIntake</c> and <c>MapAlertEndpoints</c>
/// over a given store and a manual clock. Targets: <c>checkout</c> (service=checkout), <c>prod</c>
/// (rollback=true), <c>cart</c> (service=cart, namespace=shop), and <c>silent</c> without matchers.
/// </summary>
internal sealed class AlertIntakeServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private AlertIntakeServer(LoopbackServer server, IWatchdogStore store, FakeTimeProvider time, WatchdogOptions options)
    {
        _server = server;
        Store = store;
        Time = time;
        Options = options;
        Http = new HttpClient { BaseAddress = server.Url };
    }

    public IWatchdogStore Store { get; }

    public FakeTimeProvider Time { get; }

    public WatchdogOptions Options { get; }

    public HttpClient Http { get; }

    /// <summary>One of the intake's own services (<c>AlertIntake</c>, <c>AlertBook</c>), to drive or read it directly.</summary>
    public T Service<T>()
        where T : notnull => _server.Services.GetRequiredService<T>();

    public ISignalSource Source => _server.Services.GetServices<ISignalSource>().Single(s => s.Name == "alertmanager");

    public static TargetOptions Checkout { get; } = Target("checkout", ("service", "checkout"));

    public static TargetOptions Prod { get; } = Target("prod", ("rollback", "true"));

    public static TargetOptions Cart { get; } = Target("cart", ("service", "cart"), ("namespace", "shop"));

    public static TargetOptions Silent { get; } = Target("silent");

    public static async Task<AlertIntakeServer> StartAsync(
        IWatchdogStore? store = null, AlertmanagerIntakeOptions? intake = null, FakeTimeProvider? time = null)
    {
        store ??= new InMemoryWatchdogStore();
        time ??= TestClock.At(new DateTimeOffset(2026, 11, 22, 5, 25, 22, TimeSpan.Zero));
        var options = new WatchdogOptions
        {
            Sources = new SourcesOptions { Alertmanager = intake ?? new AlertmanagerIntakeOptions() },
            Targets = [Checkout, Prod, Cart, Silent],
        };
        var server = await LoopbackServer.StartAsync(app => app.MapAlertEndpoints(), services => services
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(store)
            .AddAlertIntake(options));
        return new AlertIntakeServer(server, store, time, options);
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostAsync(string json, string? authorization = null)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await SendAsync(content, authorization);
    }

    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpContent content, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/alerts", UriKind.Relative)) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> PostOkAsync(string json, string? authorization = null)
    {
        var (response, body) = await PostAsync(json, authorization);
        ((int)response.StatusCode).ShouldBe(200, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<SignalValue> SignalAsync(TargetOptions target, string signal) =>
        (await Source.ReadAsync([new SignalRequest(target, signal)], CancellationToken.None)).ShouldHaveSingleItem();

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.DisposeAsync();
    }

    private static TargetOptions Target(string name, params (string Label, string Value)[] matchers) => new()
    {
        Name = name,
        Policy = "p",
        AlertMatchers = matchers.ToDictionary(m => m.Label, m => m.Value, StringComparer.Ordinal),
    };
}
