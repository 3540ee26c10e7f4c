using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Watchdog.Plugins;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>
/// Reads <c>watchdog.yaml</c>: the small sections itself, and the larger ones through their readers (sources, signals,
/// notifications and approvals, targets, flag providers).
/// </summary>
internal sealed class WatchdogOptionsReader(ConfigReader reader, PluginRegistry plugins)
{
    private static readonly string[] RootKeys =
        ["http", "logging", "store", "sources", "signals", "policies", "notifications", "defaults", "targets", "approvals", "reports", "kubernetes", "delivery", "flags", "telemetry", "ha"];

    private static readonly string[] HttpKeys = ["listen", "public_url", "tokens", "read_requires_token"];
    private static readonly string[] TokenKeys = ["name", "role", "token", "token_file"];
    private static readonly string[] LoggingKeys = ["format", "level"];
    private static readonly string[] StoreKeys = ["kind", "path", "connection_string", "write_retry_for"];
    private static readonly string[] DefaultsKeys = ["interval", "dry_run", "cooldown", "max_actions_per_hour", "recovery_window", "verify_window"];
    private static readonly string[] ReportsKeys = ["directory"];
    private static readonly string[] KubernetesKeys = ["kubeconfig", "context", "in_cluster", "server", "token", "token_file", "insecure_skip_tls_verify"];
    private static readonly string[] TelemetryKeys = ["otlp"];
    private static readonly string[] OtlpKeys = ["endpoint", "protocol"];
    private static readonly string[] HaKeys = ["lock", "lease_name", "namespace", "identity", "lease_duration", "renew_deadline", "retry_period", "shutdown_grace"];
    private static readonly string[] DeliveryKeys = ["max_attempts", "first_retry_delay", "attempt_timeout", "redelivery_interval", "max_rounds"];

    public WatchdogOptions Read(IConfiguration root, string configPath)
    {
        reader.CheckKeys(root, RootKeys);
        var defaults = ReadDefaults(root);
        var notifications = new NotificationOptionsReader(reader, plugins);
        var approvals = notifications.ReadApprovals(root);
        var options = new WatchdogOptions
        {
            ConfigPath = configPath,
            Http = ReadHttp(root),
            Logging = ReadLogging(root),
            Store = ReadStore(root),
            Sources = new SourcesOptionsReader(reader).Read(root),
            Signals = new SignalOptionsReader(reader, plugins).Read(root),
            Policies = [.. reader.Items(root, "policies").Select(item => reader.Scalar(item, required: true)).OfType<string>().Select(reader.Resolve)],
            Notifications = notifications.ReadNotifications(root, approvals),
            Defaults = defaults,
            Targets = new TargetOptionsReader(reader, defaults, plugins).Read(root),
            Approvals = approvals,
            Reports = ReadReports(root),
            Kubernetes = ReadKubernetes(root),
            Delivery = ReadDelivery(root),
            Flags = new FlagOptionsReader(reader, plugins).Read(root),
            Telemetry = ReadTelemetry(root),
            Ha = ReadHa(root),
        };
        if (options.Ha.Enabled && options.Store.Kind != StoreKind.Postgres)
        {
            // Followers take webhooks and approvals into the store the leader acts from; a SQLite file is one machine's.
            reader.Error("ha:lock", "several replicas need a shared store: set store.kind: postgres (with SQLite, run one replica and leave ha.lock at none)");
        }

        return options;
    }

    private NotificationDispatchOptions ReadDelivery(IConfiguration root)
    {
        var fallback = new NotificationDispatchOptions();
        var delivery = reader.Mapping(root, "delivery", DeliveryKeys);
        if (delivery is null)
        {
            return fallback;
        }

        var options = fallback with
        {
            MaxAttempts = reader.Int(delivery, "max_attempts", fallback.MaxAttempts, 1, 20),
            FirstRetryDelay = reader.Duration(delivery, "first_retry_delay", fallback.FirstRetryDelay, allowZero: true),
            AttemptTimeout = reader.Duration(delivery, "attempt_timeout", fallback.AttemptTimeout),
            RedeliveryInterval = reader.Duration(delivery, "redelivery_interval", fallback.RedeliveryInterval),
            MaxRounds = reader.Int(delivery, "max_rounds", fallback.MaxRounds, 1, 1000),
        };

        // The dispatcher's own limits, each reported at its key ("attempt_timeout: ..., must be between ...").
        foreach (var problem in options.Validate())
        {
            var key = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
            if (DeliveryKeys.Contains(key))
            {
                reader.Error(ConfigReader.KeyOf(delivery, key), problem[(key.Length + 2)..]);
            }
        }

        return options;
    }

    private KubernetesOptions ReadKubernetes(IConfiguration root)
    {
        var kubernetes = reader.Mapping(root, "kubernetes", KubernetesKeys);
        if (kubernetes is null)
        {
            return new KubernetesOptions();
        }

        var inCluster = reader.Bool(kubernetes, "in_cluster", false);
        var kubeconfig = reader.FilePath(kubernetes, "kubeconfig", mustExist: true);
        if (inCluster && kubeconfig is not null)
        {
            reader.Error(kubernetes.Path, "set in_cluster or kubeconfig, not both");
        }

        var context = reader.Text(kubernetes, "context");
        var server = reader.HttpUrl(kubernetes, "server", required: false, userinfoHint: "use token or token_file instead");
        var token = reader.Text(kubernetes, "token");
        var tokenFile = reader.FilePath(kubernetes, "token_file", mustExist: true);
        var insecure = reader.Bool(kubernetes, "insecure_skip_tls_verify", false);
        if (server is not null && (inCluster || kubeconfig is not null || context is not null))
        {
            reader.Error(ConfigReader.KeyOf(kubernetes, "server"), "the server shortcut stands for a kubeconfig: set server or kubeconfig/context/in_cluster, not both");
        }

        if (token is not null && tokenFile is not null)
        {
            reader.Error(ConfigReader.KeyOf(kubernetes, "token"), "set at most one of token and token_file");
        }

        if (server is null && (token is not null || tokenFile is not null || insecure))
        {
            reader.Error(kubernetes.Path, "token, token_file and insecure_skip_tls_verify go with server (a kubeconfig carries its own)");
        }

        return new KubernetesOptions
        {
            Kubeconfig = kubeconfig,
            Context = context,
            InCluster = inCluster,
            Server = server,
            Token = token,
            TokenFile = tokenFile,
            InsecureSkipTlsVerify = insecure,
        };
    }

    private ReportsOptions ReadReports(IConfiguration root)
    {
        var reports = reader.Mapping(root, "reports", ReportsKeys);
        var directory = reports is null ? null : reader.Text(reports, "directory");
        return new ReportsOptions { Directory = directory is null ? null : reader.Resolve(directory) };
    }

    private HttpOptions ReadHttp(IConfiguration root)
    {
        var http = reader.Mapping(root, "http", HttpKeys);
        if (http is null)
        {
            return new HttpOptions();
        }

        var listen = reader.HttpUrl(http, "listen", required: false);
        var publicUrl = reader.HttpUrl(http, "public_url", required: false, userinfoHint: "the address is shown in messages and links");
        if (publicUrl is not null && (publicUrl.Query.Length > 0 || publicUrl.Fragment.Length > 0))
        {
            reader.Error(ConfigReader.KeyOf(http, "public_url"), "a query or fragment is refused: API paths are appended to this address");
            publicUrl = null;
        }

        var tokens = new List<ApiTokenOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in reader.Items(http, "tokens"))
        {
            reader.CheckKeys(item, TokenKeys);
            var name = reader.Text(item, "name", required: true) ?? "";
            if (name.Length > 0 && !names.TryAdd(name, item.Path))
            {
                reader.Error(ConfigReader.KeyOf(item, "name"), $"duplicate token name '{name}' (also at {ConfigOrigins.DisplayPath(names[name])})");
            }

            var role = reader.Choice(item, "role", Authorities.AllNames, Enum.GetValues<Authority>(), Authority.OnCall, required: true);

            // The value is never quoted back: an error message ends up in logs and terminals.
            var token = reader.Text(item, "token");
            var tokenFile = reader.FilePath(item, "token_file", mustExist: true);
            if ((token is null) == (tokenFile is null))
            {
                reader.Error(item.Path, "set exactly one of token and token_file");
            }

            tokens.Add(new ApiTokenOptions { Name = name, Role = role, Token = token, TokenFile = tokenFile });
        }

        var readRequiresToken = reader.Bool(http, "read_requires_token", fallback: false);
        if (readRequiresToken && tokens.Count == 0)
        {
            reader.Error(ConfigReader.KeyOf(http, "read_requires_token"), "true needs at least one entry in http.tokens, or nobody could read");
        }

        var options = new HttpOptions { Listen = listen?.OriginalString ?? new HttpOptions().Listen, Tokens = tokens, ReadRequiresToken = readRequiresToken };
        return publicUrl is null ? options : options with { PublicUrl = publicUrl.OriginalString };
    }

    private HaOptions ReadHa(IConfiguration root)
    {
        var fallback = new HaOptions();
        var ha = reader.Mapping(root, "ha", HaKeys);
        if (ha is null)
        {
            return fallback;
        }

        var options = new HaOptions
        {
            Lock = reader.Choice(ha, "lock", ["none", "kubernetes", "postgres"], [LeaderLockKind.None, LeaderLockKind.Kubernetes, LeaderLockKind.Postgres], LeaderLockKind.None),
            LeaseName = reader.Text(ha, "lease_name") ?? fallback.LeaseName,
            Namespace = reader.Text(ha, "namespace"),
            Identity = reader.Text(ha, "identity"),
            LeaseDuration = reader.Duration(ha, "lease_duration", fallback.LeaseDuration),
            RenewDeadline = reader.Duration(ha, "renew_deadline", fallback.RenewDeadline),
            RetryPeriod = reader.Duration(ha, "retry_period", fallback.RetryPeriod),
            ShutdownGrace = reader.Duration(ha, "shutdown_grace", fallback.ShutdownGrace, allowZero: true),
        };
        foreach (var problem in options.Validate())
        {
            var key = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
            reader.Error(ConfigReader.KeyOf(ha, key), problem[(key.Length + 2)..]);
        }

        return options;
    }

    private TelemetryOptions ReadTelemetry(IConfiguration root)
    {
        var telemetry = reader.Mapping(root, "telemetry", TelemetryKeys);
        var otlp = telemetry is null ? null : reader.Mapping(telemetry, "otlp", OtlpKeys);
        if (otlp is null)
        {
            return new TelemetryOptions();
        }

        // A collector URL with a password would show in the start-up log and in errors; its headers are the place for one.
        return new TelemetryOptions
        {
            OtlpEndpoint = reader.HttpUrl(otlp, "endpoint", required: true, userinfoHint: "give credentials in OTEL_EXPORTER_OTLP_HEADERS"),
            OtlpProtocol = reader.Choice<string?>(otlp, "protocol", ["grpc", "http/protobuf"], ["grpc", "http/protobuf"], null),
        };
    }

    private LoggingOptions ReadLogging(IConfiguration root)
    {
        var logging = reader.Mapping(root, "logging", LoggingKeys);
        if (logging is null)
        {
            return new LoggingOptions();
        }

        var levels = Enum.GetValues<LogLevel>();
        return new LoggingOptions
        {
            Format = reader.Choice(logging, "format", ["text", "json"], ["text", "json"], "text"),
            Level = reader.Choice(logging, "level", [.. levels.Select(l => l.ToString())], levels, LogLevel.Information),
        };
    }

    private StoreOptions ReadStore(IConfiguration root)
    {
        var store = reader.Mapping(root, "store", StoreKeys);
        if (store is null)
        {
            return new StoreOptions { Path = reader.Resolve("data/watchdog.db") };
        }

        var kind = reader.Choice(store, "kind", ["sqlite", "postgres"], [StoreKind.Sqlite, StoreKind.Postgres], StoreKind.Sqlite);
        var connectionString = reader.Text(store, "connection_string", required: kind == StoreKind.Postgres);
        return new StoreOptions
        {
            Kind = kind,
            Path = reader.FilePath(store, "path", mustExist: false, fallback: "data/watchdog.db")!,
            ConnectionString = connectionString,
            WriteRetryFor = reader.Duration(store, "write_retry_for", new StoreOptions().WriteRetryFor),
        };
    }

    private DefaultsOptions ReadDefaults(IConfiguration root)
    {
        var defaults = reader.Mapping(root, "defaults", DefaultsKeys);
        var fallback = new DefaultsOptions();
        return defaults is null
            ? fallback
            : new DefaultsOptions
            {
                Interval = reader.Duration(defaults, "interval", fallback.Interval),
                DryRun = reader.Bool(defaults, "dry_run", fallback.DryRun),
                Cooldown = reader.Duration(defaults, "cooldown", fallback.Cooldown, allowZero: true),
                MaxActionsPerHour = reader.Int(defaults, "max_actions_per_hour", fallback.MaxActionsPerHour, 1, 1000),
                RecoveryWindow = reader.Duration(defaults, "recovery_window", fallback.RecoveryWindow),
                VerifyWindow = reader.Duration(defaults, "verify_window", fallback.VerifyWindow),
            };
    }
}
