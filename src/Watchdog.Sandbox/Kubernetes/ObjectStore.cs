using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// The simulated etcd plus registry: objects as JSON keyed by resource, namespace and name; one global resourceVersion
/// counter; generation bumped on spec or annotation changes; status kept apart from the main resource; watchers fed on every write.
/// </summary>
internal sealed class ObjectStore(TimeProvider time)
{
    private const int HistoryLimit = 2000;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Resource, string Namespace, string Name), JsonObject> _objects = new();
    private readonly List<WatchEvent> _history = [];
    private readonly List<(Func<WatchEvent, bool> Filter, ChannelWriter<WatchEvent> Writer)> _watchers = [];
    private long _revision = 1000;
    private long _uids;

    public long CurrentRevision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public JsonObject? Get(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((type.Plural, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    public List<JsonObject> List(ResourceType type, string? ns) => Snapshot(type, ns).Items;

    /// <summary>The items and the revision they were read at, taken together so a watch from that revision misses nothing.</summary>
    public (List<JsonObject> Items, long Revision) Snapshot(ResourceType type, string? ns)
    {
        lock (_gate)
        {
            return (_objects.Where(p => p.Key.Resource == type.Plural && (ns is null || p.Key.Namespace == ns))
                .Select(p => (JsonObject)p.Value.DeepClone()).ToList(), _revision);
        }
    }

    public StoreResult Create(ResourceType type, string ns, JsonObject input)
    {
        var obj = Normalize(input);
        var metadata = Metadata(obj);
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) && metadata["generateName"]?.GetValue<string>() is { } prefix)
        {
            name = prefix + PodTemplate.SafeEncode(Interlocked.Increment(ref _uids).ToString("D5", CultureInfo.InvariantCulture));
        }

        if (string.IsNullOrEmpty(name))
        {
            return StoreResult.Fail(ApiStatus.Invalid(type, "", [("metadata.name", "Required value: name or generateName is required")]));
        }

        WorkloadRules.ApplyDefaults(type, obj);
        if ((WorkloadRules.Validate(type, name, obj, null) ?? ConfigMapRules.Validate(type, name, obj)) is { } invalid)
        {
            return StoreResult.Fail(invalid);
        }

        WorkloadRules.TrackTemplateGeneration(type, obj, null);

        lock (_gate)
        {
            if (_objects.ContainsKey((type.Plural, ns, name)))
            {
                return StoreResult.Fail(ApiStatus.AlreadyExists(type, name));
            }

            obj["kind"] = type.Kind;
            obj["apiVersion"] = type.GroupVersion;
            metadata["name"] = name;
            metadata["namespace"] = ns;
            metadata["uid"] = NewUid();
            metadata["creationTimestamp"] = Timestamp(time.GetUtcNow());
            if (type.HasGeneration)
            {
                metadata["generation"] = 1;
            }

            if (type.HasStatusSubresource && type != ResourceCatalog.Services)
            {
                obj.Remove("status");
            }

            return StoreResult.Ok(Commit(type, ns, name, obj, "ADDED"));
        }
    }

    /// <summary>PUT semantics. A non-empty resourceVersion in the body must match the stored one (optimistic concurrency).</summary>
    public StoreResult Update(ResourceType type, string ns, string name, JsonObject input, bool statusOnly = false)
    {
        var obj = Normalize(input);
        lock (_gate)
        {
            if (!_objects.TryGetValue((type.Plural, ns, name), out var stored))
            {
                return StoreResult.Fail(ApiStatus.NotFound(type, name));
            }

            var metadata = Metadata(obj);
            var storedMetadata = Metadata(stored);
            var requested = metadata["resourceVersion"]?.GetValue<string>();
            if (string.IsNullOrEmpty(requested) || requested == "0")
            {
                if (!type.AllowsUnconditionalUpdate)
                {
                    return StoreResult.Fail(ApiStatus.ResourceVersionRequired(type, name));
                }
            }
            else if (requested != storedMetadata["resourceVersion"]?.GetValue<string>())
            {
                return StoreResult.Fail(ApiStatus.Conflict(type, name));
            }

            if (metadata["uid"]?.GetValue<string>() is { Length: > 0 } uid && uid != storedMetadata["uid"]?.GetValue<string>())
            {
                return StoreResult.Fail(ApiStatus.Conflict(type, name));
            }

            JsonObject next;
            if (statusOnly)
            {
                next = (JsonObject)stored.DeepClone();
                next["status"] = obj["status"]?.DeepClone();
            }
            else
            {
                next = obj;
                WorkloadRules.ApplyDefaults(type, next);
                if ((WorkloadRules.Validate(type, name, next, stored) ?? ConfigMapRules.Validate(type, name, next)) is { } invalid)
                {
                    return StoreResult.Fail(invalid);
                }

                WorkloadRules.TrackTemplateGeneration(type, next, stored);

                // Identity and bookkeeping are the server's; status changes only through the status subresource.
                var nextMetadata = Metadata(next);
                foreach (var key in new[] { "uid", "creationTimestamp", "generation", "namespace", "name" })
                {
                    nextMetadata[key] = storedMetadata[key]?.DeepClone();
                }

                next["kind"] = type.Kind;
                next["apiVersion"] = type.GroupVersion;
                if (type.HasStatusSubresource)
                {
                    next["status"] = stored["status"]?.DeepClone();
                    if (next["status"] is null)
                    {
                        next.Remove("status");
                    }
                }

                if (type.HasGeneration && (!JsonNode.DeepEquals(next["spec"], stored["spec"]) || !JsonNode.DeepEquals(nextMetadata["annotations"], storedMetadata["annotations"])))
                {
                    nextMetadata["generation"] = (storedMetadata["generation"]?.GetValue<long>() ?? 0) + 1;
                }
            }

            if (JsonNode.DeepEquals(WithoutVersion(next), WithoutVersion(stored)))
            {
                return StoreResult.Ok((JsonObject)stored.DeepClone());
            }

            return StoreResult.Ok(Commit(type, ns, name, next, "MODIFIED"));
        }
    }

    public StoreResult Delete(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            if (!_objects.Remove((type.Plural, ns, name), out var stored))
            {
                return StoreResult.Fail(ApiStatus.NotFound(type, name));
            }

            _revision++;
            Metadata(stored)["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture);
            Publish(new WatchEvent(type, ns, _revision, "DELETED", (JsonObject)stored.DeepClone()));
            return StoreResult.Ok(stored);
        }
    }

    /// <summary>Starts a watch: replays retained changes after <paramref name="fromRevision"/> (or ADDED for every object when null).</summary>
    public ChannelReader<WatchEvent> Watch(ResourceType type, string? ns, Func<JsonObject, bool> matches, long? fromRevision, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>();
        bool Filter(WatchEvent e) => e.Type == type && (ns is null || e.Namespace == ns) && matches(e.Object);
        lock (_gate)
        {
            if (fromRevision is null)
            {
                foreach (var ((resource, objectNs, _), value) in _objects)
                {
                    var added = new WatchEvent(type, objectNs, _revision, "ADDED", (JsonObject)value.DeepClone());
                    if (resource == type.Plural && Filter(added))
                    {
                        channel.Writer.TryWrite(added);
                    }
                }
            }
            else
            {
                foreach (var past in _history.Where(e => e.ResourceVersion > fromRevision && Filter(e)))
                {
                    channel.Writer.TryWrite(past with { Object = (JsonObject)past.Object.DeepClone() });
                }
            }

            var entry = ((Func<WatchEvent, bool>)Filter, channel.Writer);
            _watchers.Add(entry);
            cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _watchers.Remove(entry);
                }

                channel.Writer.TryComplete();
            });
        }

        return channel.Reader;
    }

    private JsonObject Commit(ResourceType type, string ns, string name, JsonObject obj, string eventType)
    {
        _revision++;
        Metadata(obj)["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture);
        obj = Normalize(obj);
        _objects[(type.Plural, ns, name)] = obj;
        Publish(new WatchEvent(type, ns, _revision, eventType, (JsonObject)obj.DeepClone()));
        return (JsonObject)obj.DeepClone();
    }

    private void Publish(WatchEvent change)
    {
        _history.Add(change);
        if (_history.Count > HistoryLimit)
        {
            _history.RemoveRange(0, _history.Count - HistoryLimit);
        }

        foreach (var (filter, writer) in _watchers)
        {
            if (filter(change))
            {
                writer.TryWrite(change with { Object = (JsonObject)change.Object.DeepClone() });
            }
        }
    }

    private string NewUid()
    {
        var n = Interlocked.Increment(ref _uids);
        return $"00000000-0000-4000-8000-{n:D12}";
    }

    /// <summary>Numbers written by the controllers as int or long read back as either, like values parsed from a request.</summary>
    private static JsonObject Normalize(JsonObject obj) => (JsonObject)JsonNode.Parse(obj.ToJsonString())!;

    private static JsonObject WithoutVersion(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        Metadata(copy).Remove("resourceVersion");
        return copy;
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        return metadata;
    }

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
