using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 over plain HTTP, with deployment, statefulset and daemonset controllers running on the
/// injected clock, so real kubectl and Watchdog's client can be pointed at it.
/// </summary>
public sealed class KubernetesSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly DeploymentController _deployments;
    private readonly StatefulSetController _statefulSets;
    private readonly DaemonSetController _daemonSets;
    private int _disposed;
    private readonly ReplicaSetPods _pods;
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly HashSet<(string Namespace, string Name)> _failing = [];
    private readonly Lock _failingGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private const int MaxRequestsKept = 10_000;
    private readonly ConcurrentQueue<SimulatedRequest> _requests = new();

    private KubernetesSimulator(WebApplication app, ObjectStore store, TimeProvider time, int nodes)
    {
        _app = app;
        _store = store;
        _deployments = new DeploymentController(store, time);
        _statefulSets = new StatefulSetController(store);
        _daemonSets = new DaemonSetController(store, nodes);
        _pods = new ReplicaSetPods(store);
    }

    /// <summary>Every request received, in order: what a client sent (its trace context too), for tests to check.</summary>
    public IReadOnlyList<SimulatedRequest> Requests => [.. _requests];

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public static async Task<KubernetesSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Nodes);
        var time = options.TimeProvider ?? TimeProvider.System;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var store = new ObjectStore(time);
        var simulator = new KubernetesSimulator(app, store, time, options.Nodes);
        // Open watches end when the simulator stops, or Kestrel would wait for them.
        var handler = new ApiRequestHandler(store, time, simulator._stopping.Token);
        app.Use(next => context =>
        {
            var traceParent = context.Request.Headers["traceparent"];
            simulator._requests.Enqueue(new SimulatedRequest(context.Request.Method, context.Request.Path.Value ?? "", traceParent.Count > 0 ? traceParent[0] : null));

            // Bounded: a demo runs for hours, and only a test's last few requests are ever read.
            while (simulator._requests.Count > MaxRequestsKept && simulator._requests.TryDequeue(out _))
            {
            }

            return next(context);
        });
        if (options.Authorization is { } authorization)
        {
            app.Use(next => context =>
                authorization.Authorize(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.Query["watch"], context.Request.Headers.Authorization) is { } denied
                    ? ApiRequestHandler.WriteStatusAsync(context, denied)
                    : next(context));
        }

        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var interval = options.SyncInterval ?? TimeSpan.FromMilliseconds(100);
        if (interval > TimeSpan.Zero)
        {
            simulator._loop = simulator.RunControllersAsync(interval, time, simulator._stopping.Token);
        }
        return simulator;
    }

    /// <summary>Creates any served object from its JSON (kind and apiVersion pick the resource), as a POST would.</summary>
    public JsonObject Create(string json)
    {
        var obj = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("not a JSON object", nameof(json));
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        var kind = obj["kind"]?.GetValue<string>() ?? "";
        var type = ResourceCatalog.All.FirstOrDefault(t => t.GroupVersion == apiVersion && t.Kind == kind)
                   ?? throw new ArgumentException($"{apiVersion} {kind} is not served by the simulator", nameof(json));
        var ns = obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
        var result = _store.Create(type, ns, obj);
        return result.Object ?? throw new InvalidOperationException(result.Error!.Message);
    }

    /// <summary>The stored object as a GET returns it, or null.</summary>
    public JsonObject? Get(string apiVersion, string kind, string ns, string name)
    {
        var type = ResourceCatalog.All.FirstOrDefault(t => t.GroupVersion == apiVersion && t.Kind == kind);
        return type is null ? null : _store.Get(type, ns, name);
    }

    /// <summary>
    /// Writes an object's status as its controller or the kubelet would. The simulator runs no kubelet and keeps pods as
    /// counts in ReplicaSet status, so a test that needs Pod objects creates them and reports them Ready this way.
    /// </summary>
    public JsonObject UpdateStatus(string apiVersion, string kind, string ns, string name, JsonObject status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var type = ResourceCatalog.All.FirstOrDefault(t => t.GroupVersion == apiVersion && t.Kind == kind)
                   ?? throw new ArgumentException($"{apiVersion} {kind} is not served by the simulator", nameof(kind));
        var current = _store.Get(type, ns, name) ?? throw new ArgumentException($"{kind} {ns}/{name} does not exist", nameof(name));
        current["status"] = status.DeepClone();
        var result = _store.Update(type, ns, name, current, statusOnly: true);
        return result.Object ?? throw new InvalidOperationException(result.Error!.Message);
    }

    /// <summary>The ReplicaSets (or ControllerRevisions) owned by a workload, as stored.</summary>
    public IReadOnlyList<JsonObject> ReplicaSetsOf(string ns, string deployment) =>
        _store.List(ResourceCatalog.ReplicaSets, ns)
            .Where(rs => (rs["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Any(r => r["name"]?.GetValue<string>() == deployment))
            .ToList();

    public IReadOnlyList<JsonObject> ControllerRevisionsOf(string ns, string owner) =>
        _store.List(ResourceCatalog.ControllerRevisions, ns)
            .Where(cr => (cr["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Any(r => r["name"]?.GetValue<string>() == owner))
            .ToList();

    /// <summary>From now on, pods of deployment <paramref name="name"/> that are not ready never become ready, so its rollouts hit the progress deadline.</summary>
    public void FailRollouts(string ns, string name)
    {
        lock (_failingGate)
        {
            _failing.Add((ns, name));
        }
    }

    /// <summary>Pods of deployment <paramref name="name"/> become ready again.</summary>
    public void HealRollouts(string ns, string name)
    {
        lock (_failingGate)
        {
            _failing.Remove((ns, name));
        }
    }

    /// <summary>Runs every controller once: pods, then deployments, then statefulsets, then daemonsets.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var deployment in _store.List(ResourceCatalog.Deployments, null))
            {
                bool failing;
                lock (_failingGate)
                {
                    failing = _failing.Contains((Workloads.Namespace(deployment), Workloads.Name(deployment)));
                }

                foreach (var rs in _store.List(ResourceCatalog.ReplicaSets, Workloads.Namespace(deployment)).Where(rs => Workloads.IsControlledBy(rs, deployment)))
                {
                    _pods.Sync(rs, failing);
                }

                if (_store.Get(ResourceCatalog.Deployments, Workloads.Namespace(deployment), Workloads.Name(deployment)) is { } fresh)
                {
                    _deployments.Sync(fresh);
                }
            }

            foreach (var sts in _store.List(ResourceCatalog.StatefulSets, null))
            {
                _statefulSets.Sync(sts);
            }

            foreach (var ds in _store.List(ResourceCatalog.DaemonSets, null))
            {
                _daemonSets.Sync(ds);
            }
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>Syncs until nothing changes any more (at most <paramref name="maxSyncs"/> rounds): the cluster has settled.</summary>
    public async Task SettleAsync(CancellationToken cancellationToken, int maxSyncs = 100)
    {
        for (var i = 0; i < maxSyncs; i++)
        {
            var before = _store.CurrentRevision;
            await SyncOnceAsync(cancellationToken);
            if (_store.CurrentRevision == before)
            {
                return;
            }
        }
    }

    private async Task RunControllersAsync(TimeSpan interval, TimeProvider time, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SyncOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // By design: the loop ends when the simulator is disposed.
        }
    }

    /// <summary>Stops the server; a second call does nothing, so a test may kill the API server mid-action and still clean up.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop;
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
        _syncGate.Dispose();
    }
}
