using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>SetDeploymentCondition semantics over a status object: same status and reason change nothing, same status keeps the transition time.</summary>
internal sealed class DeploymentConditions(JsonObject status, DateTimeOffset now)
{
    private JsonArray List
    {
        get
        {
            if (status["conditions"] is not JsonArray list)
            {
                list = [];
                status["conditions"] = list;
            }

            return list;
        }
    }

    public JsonObject? Progressing => Find("Progressing");

    public void Set(string type, string value, string reason, string message, bool bumpUpdate = false)
    {
        var stamp = ObjectStore.Timestamp(now);
        var existing = Find(type);
        if (existing is not null && existing["status"]?.GetValue<string>() == value && existing["reason"]?.GetValue<string>() == reason && !bumpUpdate)
        {
            return;
        }

        var transition = existing is not null && existing["status"]?.GetValue<string>() == value
            ? existing["lastTransitionTime"]?.GetValue<string>() ?? stamp
            : stamp;
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastUpdateTime"] = stamp,
            ["lastTransitionTime"] = transition,
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is not null)
        {
            List[List.IndexOf(existing)] = condition;
        }
        else
        {
            List.Add(condition);
        }
    }

    public void Remove(string type)
    {
        if (Find(type) is { } existing)
        {
            List.Remove(existing);
        }
    }

    /// <summary>The deadline passed since the Progressing condition was last updated (or it already says so).</summary>
    public bool TimedOut(int deadlineSeconds)
    {
        var progressing = Progressing;
        if (progressing?["reason"]?.GetValue<string>() == "ProgressDeadlineExceeded")
        {
            return true;
        }

        return progressing?["lastUpdateTime"]?.GetValue<string>() is { } last
               && DateTimeOffset.Parse(last, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(deadlineSeconds) < now;
    }

    private JsonObject? Find(string type) =>
        (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
}
