using System.Globalization;
using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Leadership;

/// <summary>
/// client-go's Lease lock, written over the Lease API (spec §7): renew the Lease this replica holds with the
/// resourceVersion it last wrote; otherwise read it, and take it only when its holder has not renewed for the Lease's
/// duration as judged by this process's clock since the record last changed (so that clocks need not agree), bumping
/// <c>leaseTransitions</c>, which is the epoch. Every write carries the resourceVersion read, so of two replicas that
/// race, the API server lets exactly one win. The library's <c>LeaderElector</c> is not used: it reads the wall clock
/// rather than a <c>TimeProvider</c>, cannot cancel the leader's work and does not release on shutdown.
/// </summary>
internal sealed class KubernetesLeaseLock(
    KubernetesConnection connection, string ns, string name, string identity, TimeSpan leaseDuration, TimeProvider time) : ILeaderLock
{
    private const string Json = "application/json";

    private JsonObject? _observed;
    private string _observedSpec = "";
    private DateTimeOffset _observedAt;

    private string Path => $"/apis/coordination.k8s.io/v1/namespaces/{Uri.EscapeDataString(ns)}/leases/{Uri.EscapeDataString(name)}";

    public string Describe() => $"lease {ns}/{name}";

    public async Task<LeaderLockAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException)
        {
            return LeaderLockAttempt.Failed($"{Describe()}: {ex.Message}");
        }
    }

    private async Task<LeaderLockAttempt> AttemptAsync(CancellationToken cancellationToken)
    {
        var client = connection.Client;
        var now = time.GetUtcNow();

        // The fast path: still ours by our own clock, so renew what we last wrote.
        if (_observed is { } mine && Holder(mine) == identity && now < _observedAt + Duration(mine))
        {
            var renewed = WithRecord(mine, identity, Transitions(mine), AcquireTimeKept(mine, now), now);
            if (await TryPutAsync(client, renewed, cancellationToken) is { } written)
            {
                return Observe(written, now, held: true);
            }
        }

        JsonObject current;
        try
        {
            current = JsonNode.Parse(await client.SendAsync(HttpMethod.Get, Path, null, null, cancellationToken))!.AsObject();
        }
        catch (KubernetesStatusException ex) when (ex.Code == 404)
        {
            var record = WithRecord(new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            }, identity, 0, MicroTime(now), now);
            try
            {
                var created = JsonNode.Parse(await client.SendAsync(HttpMethod.Post, $"/apis/coordination.k8s.io/v1/namespaces/{Uri.EscapeDataString(ns)}/leases", record.ToJsonString(), Json, preconditioned: true, cancellationToken))!.AsObject();
                return Observe(created, now, held: true);
            }
            catch (KubernetesStatusException conflict) when (conflict.Code == 409)
            {
                return new LeaderLockAttempt(false, 0, "", null, $"{Describe()}: another replica created it first");
            }
        }

        var spec = Spec(current)?.ToJsonString() ?? "";
        if (spec != _observedSpec)
        {
            // Expiry is judged from when this replica saw the record change, not from renewTime: clocks may disagree.
            _observed = current;
            _observedSpec = spec;
            _observedAt = now;
        }

        var holder = Holder(current);
        if (holder.Length > 0 && holder != identity && now < _observedAt + Duration(current))
        {
            return new LeaderLockAttempt(false, Transitions(current), holder, AcquireTime(current));
        }

        var ours = holder == identity;
        var taken = WithRecord(
            current,
            identity,
            ours ? Transitions(current) : Transitions(current) + 1,
            ours ? AcquireTimeKept(current, now) : MicroTime(now),
            now);
        return await TryPutAsync(client, taken, cancellationToken) is { } won
            ? Observe(won, now, held: true)
            : new LeaderLockAttempt(false, Transitions(current), holder, AcquireTime(current), $"{Describe()}: another replica wrote it first");
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_observed is not { } mine || Holder(mine) != identity)
        {
            return;
        }

        // client-go's release: an empty holder and a one-second lease, the transitions kept; the next taker bumps them.
        var now = time.GetUtcNow();
        var released = WithRecord(mine, "", Transitions(mine), MicroTime(now), now);
        released["spec"]!["leaseDurationSeconds"] = 1;
        try
        {
            if (await TryPutAsync(connection.Client, released, cancellationToken) is { } written)
            {
                _observed = written;
            }
        }
        catch (Exception ex) when (ex is KubernetesStatusException or KubernetesUnavailableException or KubernetesConfigException)
        {
            // By design: not releasing costs the followers one lease duration, nothing more.
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // A PUT with the object's resourceVersion: null when another writer got there first (409).
    private async Task<JsonObject?> TryPutAsync(KubernetesClient client, JsonObject lease, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await client.SendAsync(HttpMethod.Put, Path, lease.ToJsonString(), Json, preconditioned: true, cancellationToken))!.AsObject();
        }
        catch (KubernetesStatusException ex) when (ex.Code == 409)
        {
            return null;
        }
    }

    private LeaderLockAttempt Observe(JsonObject lease, DateTimeOffset now, bool held)
    {
        _observed = lease;
        _observedSpec = Spec(lease)?.ToJsonString() ?? "";
        _observedAt = now;
        return new LeaderLockAttempt(held, Transitions(lease), Holder(lease), AcquireTime(lease));
    }

    // The whole object as read (unknown fields kept), with the leader election record written into its spec.
    private JsonObject WithRecord(JsonObject lease, string holder, long transitions, string acquireTime, DateTimeOffset now)
    {
        var copy = lease.DeepClone().AsObject();
        var spec = copy["spec"] as JsonObject ?? [];
        copy["spec"] = spec;
        spec["holderIdentity"] = holder;
        spec["leaseDurationSeconds"] = (int)Math.Ceiling(leaseDuration.TotalSeconds);
        spec["acquireTime"] = acquireTime;
        spec["renewTime"] = MicroTime(now);
        spec["leaseTransitions"] = transitions;
        return copy;
    }

    private static JsonObject? Spec(JsonObject lease) => lease["spec"] as JsonObject;

    // A holder renewing keeps the acquireTime of its term (client-go's rule); a lease without one gets now.
    private static string AcquireTimeKept(JsonObject lease, DateTimeOffset now) => Spec(lease)?["acquireTime"]?.GetValue<string>() ?? MicroTime(now);

    private static string Holder(JsonObject lease) => Spec(lease)?["holderIdentity"]?.GetValue<string>() ?? "";

    private static long Transitions(JsonObject lease) => Spec(lease)?["leaseTransitions"]?.GetValue<long>() ?? 0;

    private static TimeSpan Duration(JsonObject lease) => TimeSpan.FromSeconds(Spec(lease)?["leaseDurationSeconds"]?.GetValue<long>() ?? 0);

    private static DateTimeOffset? AcquireTime(JsonObject lease) =>
        Spec(lease)?["acquireTime"]?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>metav1.MicroTime: RFC 3339 in UTC with six fractional digits.</summary>
    private static string MicroTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
