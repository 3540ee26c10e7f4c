using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Alerts;
using Watchdog.Store;

namespace Watchdog.IntegrationTests.Signals.Alerts;

/// <summary>
/// Watchdog's alert intake as the daemon serves it (<c>AddAlertIntake</c>, <c>MapAlertEndpoints</c>, a SQLite store)
/// on a real Kestrel at 127.0.0.1, with two switches for tests: the store can be made to fail (the intake then
/// answers 503), and notifications of chosen alert names can be answered with a given status before the intake
/// sees them. Every webhook call is recorded with its answer.
/// </summary>
internal sealed class IntakeHost : IAsyncDisposable
{
    public const string BearerToken = "am-webhook-token-5c1e";

    private readonly TempDirectory _directory;
    private readonly ConcurrentQueue<IntakeDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);

    private LoopbackServer _server = null!;

    private IntakeHost(TempDirectory directory, FailingAlertStore store)
    {
        _directory = directory;
        Store = store;
    }

    public static TargetOptions Checkout { get; } = new()
    {
        Name = "checkout",
        Policy = "p",
        AlertMatchers = new Dictionary<string, string>(StringComparer.Ordinal) { ["service"] = "checkout" },
    };

    public FailingAlertStore Store { get; }

    public Uri WebhookUrl => new(_server.Url, AlertEndpoints.Path);

    public IReadOnlyList<IntakeDelivery> Deliveries => [.. _deliveries];

    public static async Task<IntakeHost> StartAsync()
    {
        var directory = new TempDirectory();
        var sqlite = WatchdogStoreFactory.OpenSqlite(Path.Combine(directory.Path, "watchdog.db"));
        await sqlite.MigrateAsync(CancellationToken.None);
        var store = new FailingAlertStore(sqlite);
        var options = new WatchdogOptions
        {
            Sources = new SourcesOptions { Alertmanager = new AlertmanagerIntakeOptions { BearerToken = BearerToken } },
            Targets = [Checkout],
        };

        var host = new IntakeHost(directory, store);
        host._server = await LoopbackServer.StartAsync(
            app =>
            {
                app.Use(host.RecordAsync);
                app.MapAlertEndpoints();
            },
            services => services
                .AddSingleton(TimeProvider.System)
                .AddSingleton<IWatchdogStore>(store)
                .AddAlertIntake(options));
        return host;
    }

    /// <summary>Answers notifications carrying <paramref name="alertName"/> with <paramref name="status"/>, without the intake seeing them.</summary>
    public void Answer(string alertName, int status) => _answers[alertName] = status;

    /// <summary>Lets notifications carrying <paramref name="alertName"/> through to the intake again.</summary>
    public void StopAnswering(string alertName) => _answers.TryRemove(alertName, out _);

    public IReadOnlyList<IntakeDelivery> DeliveriesOf(string alertName) => [.. Deliveries.Where(d => d.AlertNames.Contains(alertName))];

    public async Task<SignalValue> SignalAsync(string signal)
    {
        var source = _server.Services.GetServices<ISignalSource>().Single(s => s.Name == "alertmanager");
        return (await source.ReadAsync([new SignalRequest(Checkout, signal)], CancellationToken.None)).Single();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await Store.DisposeAsync();
        _directory.Dispose();
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != AlertEndpoints.Path)
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Request.Body.Position = 0;
        var (names, status) = Describe(body);

        var original = context.Response.Body;
        using var answer = new MemoryStream();
        context.Response.Body = answer;
        try
        {
            if (names.FirstOrDefault(_answers.ContainsKey) is { } scripted)
            {
                context.Response.StatusCode = _answers[scripted];
                await context.Response.WriteAsync("answered by the test's switch", context.RequestAborted);
            }
            else
            {
                await next(context);
            }
        }
        finally
        {
            context.Response.Body = original;
        }

        answer.Position = 0;
        await answer.CopyToAsync(original, context.RequestAborted);
        _deliveries.Enqueue(new IntakeDelivery(
            TimeProvider.System.GetUtcNow(),
            names,
            status,
            context.Request.Headers.UserAgent.ToString(),
            context.Response.StatusCode,
            System.Text.Encoding.UTF8.GetString(answer.ToArray())));
    }

    private static (IReadOnlyList<string> Names, string Status) Describe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var names = root.GetProperty("alerts").EnumerateArray()
                .Select(alert => alert.GetProperty("labels").TryGetProperty("alertname", out var name) ? name.GetString() ?? "" : "")
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            return (names, root.TryGetProperty("status", out var status) ? status.GetString() ?? "" : "");
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a webhook payload: recorded with no names, the intake itself answers it.
            return ([], "");
        }
    }
}
