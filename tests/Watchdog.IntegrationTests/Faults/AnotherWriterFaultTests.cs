using System.Globalization;
using Microsoft.Data.Sqlite;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Another writer (a person with kubectl, a CD system) changes the deployment while Watchdog's undo is under way:
/// between its GET and its LIST of the history, or just before its PATCH, putting back the very template the undo
/// wanted. The undo decides on one consistent reading and reports what really happened; a revision becomes known bad
/// only when Watchdog's own PATCH left it. Each test has a cluster of its own, since the LIST path is the namespace's.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class AnotherWriterFaultTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string ReplicaSetsPath = $"/apis/apps/v1/namespaces/{ProxiedCluster.Namespace}/replicasets";
    private readonly TempDirectory _dir = new();
    private ProxiedCluster _cluster = null!;
    private FakePrometheus _prometheus = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ProxiedCluster.StartAsync();
        _prometheus = await FakePrometheus.StartAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);
        await _cluster.DeployBadReleaseAsync("web");
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AnotherWriterBetweenGetAndList_TheUndoDecidesOnOneSnapshot_AndReportsWhatHappened()
    {
        // The hotfix lands when the undo's LIST arrives: the history it lists is newer than the deployment it read. The
        // first LIST is the IN PROGRESS message's read-only preview (IStepPreview), which decides nothing; the second is the undo's.
        var lists = 0;
        _cluster.Proxy.Inject(KubernetesFault.After("GET", ReplicaSetsPath, () => Interlocked.Increment(ref lists) == 2
            ? _cluster.Simulator.SetImageAsync(ProxiedCluster.Namespace, "web", "web", "web:2.1-hotfix")
            : Task.CompletedTask) with { Times = 2 });
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        var run = await api.RunOfAsync("web", "succeeded", "failed", "interrupted");
        output.WriteLine(run.ToString());
        var report = (await api.ReportOfAsync("web"))!.Value;
        var progress = string.Join("\n", DaemonApi.Timeline(report, "step-progress"));
        progress.ShouldContain("read again: generation", customMessage: report.ToString());

        // Decided on the reading after the hotfix (revision 3, previous 2), and the result says what the cluster holds.
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        DaemonApi.Timeline(report, "step-succeeded").ShouldHaveSingleItem()
            .ShouldBe($"step 1: deployment-undo succeeded: rolled back deployment/{ProxiedCluster.Namespace}/web from revision 3 to revision 2");
        _cluster.ImageOf("web").ShouldBe("web:2.0");
    }

    [Fact]
    public async Task AlternatingWriter_NeverMarksARevisionKnownBadThatWatchdogDidNotLeave()
    {
        // Just before Watchdog's PATCH, someone else rolls the deployment back to web:1.0 themselves: the PATCH meets
        // a 409, and the re-read finds the wanted template in place. Revision 2 was left by that writer, not by Watchdog.
        _cluster.Proxy.Inject(KubernetesFault.After("PATCH", ProxiedCluster.DeploymentPath("web"), () => _cluster.Simulator.SetImageAsync(ProxiedCluster.Namespace, "web", "web", "web:1.0")) with { Times = 1 });
        await using var daemon = await StartDaemonAsync();
        using var api = new DaemonApi(daemon);

        var run = await api.RunOfAsync("web", "succeeded", "failed", "interrupted");
        output.WriteLine(run.ToString());

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var report = (await api.ReportOfAsync("web"))!.Value;
        DaemonApi.Timeline(report, "step-succeeded").ShouldHaveSingleItem().ShouldContain("not marked known bad");
        _cluster.ImageOf("web").ShouldBe("web:1.0");
        await using var store = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "watchdog.db")};Mode=ReadOnly");
        await store.OpenAsync();
        await using var count = store.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM bad_revisions";
        Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture).ShouldBe(0, "no revision is known bad");
    }

    private Task<DaemonProcess> StartDaemonAsync()
    {
        _dir.Write("kubeconfig.yaml", _cluster.Kubeconfig);
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", FaultFiles.UndoConfig(_prometheus.Url, ["web"]));
        return DaemonProcess.StartAsync(config, output);
    }
}
