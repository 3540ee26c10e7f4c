using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Signals.Alerts;
using Watchdog.Store;

namespace Watchdog.Benchmarks;

/// <summary>
/// The alert intake alone, as the daemon serves it (<c>AddAlertIntake</c>, <c>MapAlertEndpoints</c>, a SQLite store),
/// for <c>bench/alert-intake.sh</c> to load with wrk: <c>alert-intake-host --db FILE --urls http://127.0.0.1:PORT</c>.
/// One target, <c>checkout</c> (service=checkout), so every fixture alert is matched and fed to the signal book too.
/// </summary>
internal static class AlertIntakeHost
{
    public static async Task RunAsync(string[] args)
    {
        var db = BenchArguments.ValueOf(args, "--db") ?? throw new ArgumentException("--db FILE is required");
        var urls = BenchArguments.ValueOf(args, "--urls") ?? "http://127.0.0.1:18080";
        await using var store = WatchdogStoreFactory.OpenSqlite(db);
        await store.MigrateAsync(CancellationToken.None);

        var options = new WatchdogOptions
        {
            Targets =
            [
                new TargetOptions
                {
                    Name = "checkout",
                    Policy = "bench",
                    AlertMatchers = new Dictionary<string, string>(StringComparer.Ordinal) { ["service"] = "checkout" },
                },
            ],
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services
            .AddSingleton(TimeProvider.System)
            .AddSingleton(store)
            .AddAlertIntake(options);
        await using var app = builder.Build();
        app.MapAlertEndpoints();
        Console.WriteLine($"alert intake on {urls}, store {store.Describe()}");
        await app.RunAsync();
    }
}
