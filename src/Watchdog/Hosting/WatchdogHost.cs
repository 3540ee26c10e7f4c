using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Flags;
using Watchdog.Http;
using Watchdog.Incidents;
using Watchdog.Incidents.Approvals;
using Watchdog.Incidents.Notifications;
using Watchdog.Incidents.Reports;
using Watchdog.Kubernetes;
using Watchdog.Records;
using Watchdog.Signals;
using Watchdog.Signals.Alerts;
using Watchdog.Store;
using Watchdog.Telemetry;
using Watchdog.Leadership;

namespace Watchdog.Hosting;

/// <summary>Builds the daemon: Kestrel with the probe endpoints, the options, logging and the watch loop.</summary>
internal static class WatchdogHost
{
    private const string UtcTimestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    /// <param name="config">A loaded configuration; the daemon never starts on an invalid one.</param>
    /// <param name="args">Arguments for the generic host's own configuration.</param>
    /// <param name="configureServices">Runs after Watchdog's registrations, so tests can add readers or replace the clock.</param>
    /// <param name="listen">Where to listen when <c>--urls</c> or <c>ASPNETCORE_URLS</c> overrides <c>http.listen</c>.</param>
    public static WebApplication Build(
        ConfigLoadResult config, string[] args, Action<IServiceCollection>? configureServices = null, ListenChoice? listen = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.IsValid || config.Options is not { } options)
        {
            throw new ArgumentException("The daemon starts only on a valid configuration.", nameof(config));
        }

        if (listen is { Error: null, Overrides: true })
        {
            // Everything that reads http.listen (the open-API warnings too) sees the address actually listened on.
            options = options with { Http = options.Http with { Listen = listen.Listen } };
            config = config with { Options = options };
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(WatchdogHost).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(options.Http.Listen);
        ConfigureLogging(builder.Logging, options.Logging);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        // The store first: its start-up migration must finish before any other hosted service starts (the telemetry's
        // store gauge sampler too, which on a new database read tables that did not exist yet).
        services.AddSingleton<IWatchdogStore>(_ => WatchdogStoreFactory.Create(options.Store, Path.GetDirectoryName(options.ConfigPath) ?? "."));
        if (options.Store.Kind == StoreKind.Sqlite)
        {
            services.AddHostedService(_ => new SqliteProcessLock(Path.GetFullPath(options.Store.Path, Path.GetFullPath(Path.GetDirectoryName(options.ConfigPath) ?? "."))));
        }

        services.AddHostedService<StoreStartup>();
        services.AddLeadership(options, Environment.GetEnvironmentVariable);
        services.AddWatchdogTelemetry(options);
        services.AddSingleton(options);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(config.Policies);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = ApiJson.Encoder);

        // Before the backbone, so the alert intake asks the watch cycle's, rather than registering its own.
        services.AddSingleton<EvaluationRequests>();
        AddBackbone(services, config);

        services.AddSingleton(provider => new WatchCycle(
            options,
            config.Policies,
            provider.GetServices<ISignalSource>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<WatchCycle>>(),
            provider.GetRequiredService<IDecisionHandler>(),
            provider.GetRequiredService<EvaluationRequests>(),
            provider.GetRequiredService<WatchdogMetrics>()));
        services.AddHostedService<WatchLoop>();
        services.AddSingleton<ITargetSignals>(provider => new WatchCycleTargetSignals(provider.GetRequiredService<WatchCycle>, provider.GetRequiredService<TimeProvider>()));
        services.AddWatchdogTracing(options, builder.Configuration);
        configureServices?.Invoke(services);

        var app = builder.Build();

        // Made now, so that watchdog_leader is exported from the first scrape on, with one replica too.
        app.Services.GetRequiredService<LeaderElectionMetrics>();
        ForgetCachesAtEachTerm(app.Services);
        WriteReportsOnClose(app.Services);
        app.UseStoreOutageAnswers();
        SayWhereItListens(app.Services, listen);
        WarnIfOpen(app.Services, options);

        // The reads behind http.read_requires_token; the filter leaves the writes in this group to their own checks.
        var reads = app.MapGroup("");
        if (options.Http.ReadRequiresToken)
        {
            reads.AddEndpointFilter<ReadTokenFilter>();
        }

        reads.MapIncidentEndpoints();
        reads.MapTargetEndpoints();
        reads.MapAlertEndpoints();
        reads.MapHaEndpoint();
        app.MapIncidentCloseEndpoint();
        app.MapApprovalEndpoints();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapReadiness();
        app.MapWatchdogTelemetry();
        return app;
    }

    // Actions, the executor and its worker, incidents, approvals, notifications and reports.
    private static void AddBackbone(IServiceCollection services, ConfigLoadResult config)
    {
        var options = config.Options!;

        // The plug-ins first: the signal sources they register are asked before the alert intake's.
        services.AddWatchdogPlugins();
        services.AddSingleton(provider => new ActionCatalog(provider.GetServices<IRollbackAction>()));
        services.AddSingleton<IRunNotices, RunNotices>();
        services.AddSingleton<ReadyRuns>();
        services.AddSingleton<RunPlanner>();
        services.AddSingleton<ActionExecutor>();
        services.AddSingleton<RunRecovery>();
        services.AddSingleton<IApprovalOutcomeHandler>(provider => provider.GetRequiredService<RunRecovery>());
        services.AddHostedService<ActionRunWorker>();
        services.AddHostedService<HandOverNotes>();
        services.AddSingleton(options.Approvals);
        services.AddSingleton<QuietTargets>();
        services.AddSingleton<IncidentManager>();
        services.AddSingleton<IDecisionHandler, IncidentDecisionHandler>();
        services.AddWatchdogNotifications(options);
        services.AddWatchdogFlags(options.Flags);
        services.AddWatchdogApprovals(options, config.Policies);
        services.AddWatchdogReports(options);

        services.AddAlertIntake(options);

        // The connection the Kubernetes actions use; the client connects on first use, so the daemon starts without a cluster.
        services.AddKubernetes(options, options.Kubernetes);
    }

    // Once, at start: an API open to the network with no tokens lets anyone read what the incidents hold; an intake
    // with no credentials lets anyone send alerts, whatever the tokens (they do not guard the webhook).
    private static void WarnIfOpen(IServiceProvider services, WatchdogOptions options)
    {
        var http = options.Http;
        if (ListenAddress.IsLoopback(http.Listen))
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WatchdogHost).FullName!);
        if (http.Tokens.Count == 0)
        {
            WatchLog.ListensOpenWithoutTokens(logger, http.Listen);
        }

        if (options.Sources.Alertmanager is { BearerToken: null, BasicUsername: null } intake)
        {
            WatchLog.IntakeOpenWithoutCredentials(logger, http.Listen, intake.MaxAlerts);
        }
    }

    private static void SayWhereItListens(IServiceProvider services, ListenChoice? listen)
    {
        if (listen is { Error: null, Overrides: true })
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WatchdogHost).FullName!);
            WatchLog.ListenOverridden(logger, listen.Listen, listen.Source, listen.Configured);
        }
    }

    // What the leader's work remembers between cycles so as not to ask the store (targets that never acted, the last
    // action per target, the alerts this replica's intake heard of) may be out of date once another replica has led:
    // each term starts without it.
    private static void ForgetCachesAtEachTerm(IServiceProvider services)
    {
        var quiet = services.GetRequiredService<QuietTargets>();
        var executor = services.GetRequiredService<ActionExecutor>();
        var alerts = services.GetRequiredService<AlertBook>();
        var leader = services.GetRequiredService<LeaderState>();
        if (leader.Enabled)
        {
            // Followers store the webhooks they receive; the leader reads them from the store at each cycle.
            alerts.FollowOtherReplicas();
        }

        leader.TermBeginning += () =>
        {
            quiet.Forget();
            executor.ForgetHistory();
            alerts.Reload();
        };
    }

    private static void WriteReportsOnClose(IServiceProvider services)
    {
        var writer = services.GetRequiredService<IncidentReportWriter>();
        var logger = services.GetRequiredService<ILogger<IncidentReportWriter>>();
        services.GetRequiredService<IncidentManager>().IncidentClosed += async (incident, cancellationToken) =>
        {
            try
            {
                await writer.WriteAsync(incident.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A report file is a copy of what the store and the API already hold: never let it block closing.
                WatchLog.ReportWriteFailed(logger, incident.Id, ex);
            }
        };
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LoggingOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.Level);

        // A line per HTTP request (probes every few seconds) would drown the decisions; keep warnings and errors.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Likewise HttpClient's four lines per request (a health probe a second is 14,000 an hour per endpoint);
        // the probes log a failure when it starts and when it ends (HealthLog), the other clients their own failures.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        // The HTTP resilience handlers' own telemetry writes a warning per retried attempt and a line per request;
        // Watchdog's callbacks already say what matters (a retry at debug, a circuit opening as a warning) in its words.
        logging.AddFilter("Polly", LogLevel.None);

        // Every entry written under a span carries its trace and span ids (JSON: in the entry's scopes; text: after the event id).
        logging.Configure(factory => factory.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (string.Equals(options.Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = UtcTimestamp.TrimEnd();
            });
        }
        else
        {
            // Not the simple console formatter: it writes the control characters of outside text raw.
            logging.AddConsole(console => console.FormatterName = TextLogFormatter.FormatterName);
            logging.AddConsoleFormatter<TextLogFormatter, ConsoleFormatterOptions>(text =>
            {
                text.UseUtcTimestamp = true;
                text.TimestampFormat = UtcTimestamp;
            });
        }
    }
}
