namespace Watchdog.Configuration;

/// <summary>The whole of <c>watchdog.yaml</c>, bound and validated.</summary>
internal sealed record WatchdogOptions
{
    /// <summary>The configuration file this was read from (full path); relative paths inside it resolve against its folder.</summary>
    public string ConfigPath { get; init; } = "";

    public HttpOptions Http { get; init; } = new();

    public LoggingOptions Logging { get; init; } = new();

    public StoreOptions Store { get; init; } = new();

    public SourcesOptions Sources { get; init; } = new();

    /// <summary>The signal catalogue: how each signal name a policy reads is measured, by name.</summary>
    public IReadOnlyDictionary<string, SignalOptions> Signals { get; init; } = new Dictionary<string, SignalOptions>(StringComparer.Ordinal);

    /// <summary>The policy files, as full paths, in the order the file lists them.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    public IReadOnlyList<NotificationOptions> Notifications { get; init; } = [];

    public DefaultsOptions Defaults { get; init; } = new();

    public IReadOnlyList<TargetOptions> Targets { get; init; } = [];

    public ApprovalOptions Approvals { get; init; } = new();

    public ReportsOptions Reports { get; init; } = new();

    /// <summary>How hard notifications are sent (<c>delivery:</c>): retries, their timing, redelivery of deferred ones.</summary>
    public NotificationDispatchOptions Delivery { get; init; } = new();

    /// <summary>Which cluster the Kubernetes actions talk to (<c>kubernetes:</c>); empty means in-cluster or the default kubeconfig.</summary>
    public KubernetesOptions Kubernetes { get; init; } = new();

    /// <summary>The feature-flag services the flag actions change flags through (<c>flags:</c>), in the order written.</summary>
    public IReadOnlyList<FlagProviderOptions> Flags { get; init; } = [];

    /// <summary>Where traces are exported (<c>telemetry:</c>); by default nowhere.</summary>
    public TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>Several replicas with one leader (<c>ha:</c>); off by default.</summary>
    public HaOptions Ha { get; init; } = new();
}
