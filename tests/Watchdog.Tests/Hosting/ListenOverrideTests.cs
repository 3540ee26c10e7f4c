using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

/// <summary>
/// <c>--urls</c> and <c>ASPNETCORE_URLS</c> override <c>http.listen</c> on the real daemon (the flag first); the two
/// naming different addresses stops it before it starts.
/// </summary>
public sealed class ListenOverrideTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task Run_WithUrls_ListensThereInsteadOfHttpListen()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";

        await RunUntilHealthyAsync(url, environment: null, "run", "--urls", url);
    }

    [Fact]
    public async Task Run_WithAspNetCoreUrls_ListensThereInsteadOfHttpListen()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";

        await RunUntilHealthyAsync(url, environment: url);
    }

    [Fact]
    public async Task Run_WithUrlsAndTheSameAspNetCoreUrls_ListensThere()
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";

        await RunUntilHealthyAsync(url, environment: url, "--urls", url);
    }

    [Fact]
    public async Task Run_WithUrlsAndADifferentAspNetCoreUrls_IsAConfigErrorAndDoesNotStart()
    {
        var cli = new WatchdogCli(loadConfig: _ => Config(), environment: Variable("http://127.0.0.1:1"));

        var exit = await cli.InvokeAsync(["run", "--urls", "http://127.0.0.1:2"], _output, _error);

        exit.ShouldBe(1);
        _error.ToString().ShouldContain("--urls 'http://127.0.0.1:2' and ASPNETCORE_URLS 'http://127.0.0.1:1' name different addresses");
        _error.ToString().ShouldContain("watchdog.yaml: 1 error; not starting");
    }

    [Fact]
    public async Task Build_WithAnOverride_SaysWhichOneWonAndWhatItOverrides()
    {
        var logs = new RecordingLoggerProvider();
        var config = Config();
        var listen = ListenChoice.Of(config.Options!.Http.Listen, urlsOption: null, urlsVariable: "http://127.0.0.1:0");

        await using var app = WatchdogHost.Build(config, [], services => services.AddSingleton<ILoggerProvider>(logs), listen);

        logs.Logger.Entries.ShouldContain(e => e.Level == LogLevel.Information
            && e.Message == $"Listening on http://127.0.0.1:0 from ASPNETCORE_URLS, which overrides http.listen ({config.Options.Http.Listen})");
    }

    [Fact]
    public async Task Build_WithoutAnOverride_SaysNothingAboutIt()
    {
        var logs = new RecordingLoggerProvider();
        var config = Config();

        await using var app = WatchdogHost.Build(config, [], services => services.AddSingleton<ILoggerProvider>(logs), ListenChoice.Of(config.Options!.Http.Listen, null, null));

        logs.Logger.Entries.ShouldNotContain(e => e.Message.Contains("overrides http.listen", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:2", null, "http://127.0.0.1:2", "--urls")]
    [InlineData(null, "http://127.0.0.1:3", "http://127.0.0.1:3", "ASPNETCORE_URLS")]
    [InlineData(" ", "", "http://127.0.0.1:1", "http.listen")]
    [InlineData(null, null, "http://127.0.0.1:1", "http.listen")]
    public void Of_PicksTheFlagThenTheVariableThenTheConfig(string? option, string? variable, string listen, string source)
    {
        var choice = ListenChoice.Of("http://127.0.0.1:1", option, variable);

        choice.ShouldBe(new ListenChoice(listen, source, "http://127.0.0.1:1"));
    }

    private async Task RunUntilHealthyAsync(string url, string? environment, params string[] args)
    {
        using var stop = new CancellationTokenSource();
        var cli = new WatchdogCli(loadConfig: _ => Config(), environment: Variable(environment));
        var run = cli.InvokeAsync(args, _output, _error, stop.Token);
        try
        {
            using var http = new HttpClient();
            await Eventually.HoldsAsync(
                async () =>
                {
                    if (run.IsCompleted)
                    {
                        throw new InvalidOperationException($"the daemon ended with {await run}: {_error}");
                    }

                    try
                    {
                        using var answer = await http.GetAsync(new Uri($"{url}/healthz"));
                        return answer.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false; // not listening yet
                    }
                },
                $"/healthz answers on {url}");
        }
        finally
        {
            await stop.CancelAsync();
            (await run).ShouldBe(0, _error.ToString());
        }
    }

    private static Func<string, string?> Variable(string? urls) =>
        name => name == ListenChoice.UrlsVariable ? urls : null;

    // http.listen on a port nothing else uses, so answering on the override's port can only be the override.
    private static ConfigLoadResult Config() => new(
        new WatchdogOptions
        {
            Http = new HttpOptions { Listen = $"http://127.0.0.1:{LoopbackPorts.Free()}" },
            Store = new StoreOptions { Path = Path.Combine(Path.GetTempPath(), "watchdog-tests", $"listen-{Guid.NewGuid():N}.db") },
            Targets = [new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromMinutes(1) }],
        },
        TestPolicies.ErrorRateOnly(),
        [],
        []);
}
