using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>Reads every section of <c>watchdog.yaml</c> except the targets, which <see cref="TargetOptionsReader"/> reads.</summary>
internal sealed partial class WatchdogOptionsReader(ConfigReader reader)
{
    private static readonly string[] RootKeys =
        ["http", "logging", "store", "sources", "signals", "policies", "notifications", "defaults", "targets", "approvals", "reports", "kubernetes", "delivery"];

    private static readonly string[] HttpKeys = ["listen", "tokens", "read_requires_token"];
    private static readonly string[] TokenKeys = ["name", "role", "token", "token_file"];
    private static readonly string[] LoggingKeys = ["format", "level"];
    private static readonly string[] StoreKeys = ["kind", "path", "connection_string", "write_retry_for"];
    private static readonly string[] SourcesKeys = ["prometheus", "alertmanager", "deadline"];
    private static readonly string[] PrometheusKeys = ["url", "timeout", "method", "bearer_token", "bearer_token_file", "basic_auth", "headers", "max_response_bytes"];
    private static readonly string[] BasicAuthKeys = ["username", "password", "password_file"];
    private static readonly string[] AlertmanagerKeys = ["bearer_token", "bearer_token_file", "basic_auth", "max_body_bytes", "retention", "max_alerts"];
    private static readonly string[] SignalKeys = ["source", "query", "group_by", "group_query"];
    private static readonly string[] NotificationKeys = ["name", "kind", "url", "only_for"];
    private static readonly string[] DefaultsKeys = ["interval", "dry_run", "cooldown", "max_actions_per_hour", "recovery_window", "verify_window"];
    private static readonly string[] ApprovalsKeys = ["escalation"];
    private static readonly string[] EscalationKeys = ["after", "notify"];
    private static readonly string[] ReportsKeys = ["directory"];
    private static readonly string[] KubernetesKeys = ["kubeconfig", "context", "in_cluster"];
    private static readonly string[] DeliveryKeys = ["max_attempts", "first_retry_delay", "attempt_timeout", "redelivery_interval", "max_rounds"];

    public WatchdogOptions Read(IConfiguration root, string configPath)
    {
        reader.CheckKeys(root, RootKeys);
        var defaults = ReadDefaults(root);
        var approvals = ReadApprovals(root);
        var options = new WatchdogOptions
        {
            ConfigPath = configPath,
            Http = ReadHttp(root),
            Logging = ReadLogging(root),
            Store = ReadStore(root),
            Sources = ReadSources(root),
            Signals = ReadSignals(root),
            Policies = [.. reader.Items(root, "policies").Select(item => reader.Scalar(item, required: true)).OfType<string>().Select(reader.Resolve)],
            Notifications = ReadNotifications(root, approvals),
            Defaults = defaults,
            Targets = new TargetOptionsReader(reader, defaults).Read(root),
            Approvals = approvals,
            Reports = ReadReports(root),
            Kubernetes = ReadKubernetes(root),
            Delivery = ReadDelivery(root),
        };
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

        return new KubernetesOptions { Kubeconfig = kubeconfig, Context = reader.Text(kubernetes, "context"), InCluster = inCluster };
    }

    private ApprovalOptions ReadApprovals(IConfiguration root)
    {
        var approvals = reader.Mapping(root, "approvals", ApprovalsKeys);
        if (approvals is null || !approvals.GetSection("escalation").GetChildren().Any())
        {
            return new ApprovalOptions();
        }

        var levels = new List<EscalationLevelOptions>();
        foreach (var item in reader.Items(approvals, "escalation"))
        {
            reader.CheckKeys(item, EscalationKeys);
            var after = reader.Duration(item, "after", TimeSpan.Zero, allowZero: true);
            var who = ReadNames(item, "notify");
            if (who.Count == 0)
            {
                reader.Error(ConfigReader.KeyOf(item, "notify"), "required: who is notified at this level (a name or a list)");
            }

            if (levels.Count > 0 && after <= levels[^1].After)
            {
                reader.Error(ConfigReader.KeyOf(item, "after"), $"levels must come in rising order of 'after' ({DurationText.Format(after)} is not after {DurationText.Format(levels[^1].After)})");
            }

            levels.Add(new EscalationLevelOptions(after, who));
        }

        return new ApprovalOptions { Escalation = levels };
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

        return new HttpOptions { Listen = listen?.OriginalString ?? new HttpOptions().Listen, Tokens = tokens, ReadRequiresToken = readRequiresToken };
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

    private Dictionary<string, SignalOptions> ReadSignals(IConfiguration root)
    {
        var signals = new Dictionary<string, SignalOptions>(StringComparer.Ordinal);
        foreach (var entry in reader.Entries(root, "signals"))
        {
            if (entry.Value is not null)
            {
                reader.Error(entry.Path, "expected a mapping with source (and query), not a single value");
                continue;
            }

            reader.CheckKeys(entry, SignalKeys);
            var source = reader.Choice(entry, "source", ["prometheus", "health"], [SignalSourceKind.Prometheus, SignalSourceKind.Health], SignalSourceKind.Prometheus, required: true);
            var query = reader.Text(entry, "query", required: source == SignalSourceKind.Prometheus);
            if (source == SignalSourceKind.Health && query is not null)
            {
                reader.Error(ConfigReader.KeyOf(entry, "query"), "a health signal is computed from the target's health endpoints and takes no query");
            }

            List<string> groupBy = [.. reader.Items(entry, "group_by").Select(item => reader.Scalar(item, required: true)).OfType<string>()];
            var groupQuery = reader.Text(entry, "group_query");
            if (groupQuery is not null && groupBy.Count == 0)
            {
                reader.Error(ConfigReader.KeyOf(entry, "group_query"), "needs group_by: the labels that tell the targets' series apart");
            }

            if (groupQuery is not null && QueryTemplate.VariablesIn(groupQuery).Count > 0)
            {
                reader.Error(ConfigReader.KeyOf(entry, "group_query"), "is one query for all targets and takes no {{variables}}");
            }

            signals[entry.Key] = new SignalOptions
            {
                Name = entry.Key,
                Source = source,
                Query = query,
                GroupBy = groupBy,
                GroupQuery = groupQuery,
            };
        }

        return signals;
    }

    private List<NotificationOptions> ReadNotifications(IConfiguration root, ApprovalOptions approvals)
    {
        var notified = approvals.Escalation.SelectMany(level => level.Notify).ToHashSet(StringComparer.Ordinal);
        var notifications = new List<NotificationOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in reader.Items(root, "notifications"))
        {
            reader.CheckKeys(item, NotificationKeys);
            var name = reader.Text(item, "name", required: true) ?? "";
            if (name.Length > 0 && !names.TryAdd(name, item.Path))
            {
                reader.Error(ConfigReader.KeyOf(item, "name"), $"duplicate notification name '{name}' (also at {ConfigOrigins.DisplayPath(names[name])})");
            }

            notifications.Add(new NotificationOptions
            {
                Name = name,
                Kind = reader.Choice(item, "kind", ["slack", "webhook"], [NotificationKind.Slack, NotificationKind.Webhook], NotificationKind.Webhook, required: true),
                Url = reader.HttpUrl(item, "url", required: true) ?? new NotificationOptions().Url,
                OnlyFor = ReadNames(item, "only_for"),
            });

            // A channel kept for a name no escalation level notifies would never receive anything.
            foreach (var unreached in notifications[^1].OnlyFor.Where(n => !notified.Contains(n)))
            {
                reader.Warning(ConfigReader.KeyOf(item, "only_for"), $"no approvals.escalation level notifies '{unreached}': this channel receives nothing for it (levels notify: {string.Join(", ", notified.Order(StringComparer.Ordinal))})");
            }
        }

        return notifications;
    }

    // A name or a list of names, as escalation levels' notify are written.
    private List<string> ReadNames(IConfigurationSection parent, string key)
    {
        var section = parent.GetSection(key);
        return section.Value is { } single ? [single] : [.. reader.Items(parent, key).Select(n => reader.Scalar(n, required: true)).OfType<string>()];
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
