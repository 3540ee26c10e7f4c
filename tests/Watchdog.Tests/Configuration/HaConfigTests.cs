using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

/// <summary><c>ha:</c>: off by default, client-go's timings and their rule, and several replicas only on a shared store.</summary>
public sealed class HaConfigTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_WithoutHa_IsOneReplica_WithClientGosDefaults()
    {
        var result = _scenario.Load("http: {listen: http://127.0.0.1:8080}");

        result.Errors.ShouldBeEmpty();
        result.Options!.Ha.ShouldBe(new HaOptions());
        result.Options.Ha.Enabled.ShouldBeFalse();
        (result.Options.Ha.LeaseDuration, result.Options.Ha.RenewDeadline, result.Options.Ha.RetryPeriod)
            .ShouldBe((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Load_KubernetesLockOnPostgres_IsRead()
    {
        var result = _scenario.Load("""
            store: {kind: postgres, connection_string: "Host=db;Database=watchdog;Username=watchdog"}
            ha: {lock: kubernetes, lease_name: wd, namespace: ops, identity: replica-0, lease_duration: 6s, renew_deadline: 4s, retry_period: 1s, shutdown_grace: 0s}
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Ha.ShouldBe(new HaOptions
        {
            Lock = LeaderLockKind.Kubernetes,
            LeaseName = "wd",
            Namespace = "ops",
            Identity = "replica-0",
            LeaseDuration = TimeSpan.FromSeconds(6),
            RenewDeadline = TimeSpan.FromSeconds(4),
            RetryPeriod = TimeSpan.FromSeconds(1),
            ShutdownGrace = TimeSpan.Zero,
        });
    }

    [Fact]
    public void Load_HaOnSqlite_BadTimingsAndAnUnknownLock_AreErrorsAtTheirPaths_AllAtOnce()
    {
        var result = _scenario.Load("""
            ha:
              lock: zookeeper
              lease_duration: 10s
              renew_deadline: 10s
              retry_period: 9s
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(2, "ha.lock: unknown value 'zookeeper' (expected none or kubernetes or postgres)"),
            _scenario.At(3, "ha.lease_duration: 10s must be longer than renew_deadline (10s), so that a leader stops acting before its lease can pass to another"),
            _scenario.At(4, "ha.renew_deadline: 10s must be longer than 1.2 × retry_period (9s), so that a renewal can be retried within it"),
        ], ignoreOrder: true);
    }

    [Fact]
    public void Load_SeveralReplicasOnSqlite_IsRefused_SayingWhy()
    {
        var result = _scenario.Load("ha: {lock: postgres}");

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(1, "ha.lock: several replicas need a shared store: set store.kind: postgres (with SQLite, run one replica and leave ha.lock at none)"),
        ]);
    }
}
