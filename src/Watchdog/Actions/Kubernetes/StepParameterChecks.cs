namespace Watchdog.Actions.Kubernetes;

/// <summary>The checks most Kubernetes actions make of their step's parameters, in the same words for every action.</summary>
internal static class StepParameterChecks
{
    /// <summary>
    /// <c>KEY: required, the KIND's name</c> when the parameter naming the object is missing or blank, and the API
    /// server's name rule otherwise, so a typo is a config error rather than a 404 in the middle of an incident.
    /// </summary>
    public static void RequireName(IReadOnlyDictionary<string, string> parameters, string key, string kind, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(parameters.GetValueOrDefault(key)))
        {
            errors.Add($"{key}: required, the {kind}'s name");
        }
        else if (KubernetesNames.ObjectNameProblem(parameters[key]) is { } problem)
        {
            errors.Add($"{key}: {problem}");
        }
    }

    /// <summary>
    /// Exactly one of <paramref name="kinds"/> names the workload (<c>deployment: NAME</c>), and not blank.
    /// </summary>
    /// <returns>The kind given, or null when the step does not name exactly one workload.</returns>
    public static string? RequireOneWorkload(IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> kinds, List<string> errors)
    {
        var named = kinds.Where(parameters.ContainsKey).ToList();
        if (named.Count != 1)
        {
            var each = kinds.Select(k => $"{k}: NAME").ToList();
            errors.Add($"name exactly one workload: {string.Join(", ", each.SkipLast(1))} or {each[^1]}");
            return null;
        }

        if (string.IsNullOrWhiteSpace(parameters[named[0]]))
        {
            errors.Add($"{named[0]}: empty");
            return null;
        }

        if (KubernetesNames.ObjectNameProblem(parameters[named[0]]) is { } problem)
        {
            errors.Add($"{named[0]}: {problem}");
            return null;
        }

        return named[0];
    }

    /// <summary><c>namespace: empty</c> when it is given blank (absent means <c>default</c>), else the namespace name rule.</summary>
    public static void CheckNamespace(IReadOnlyDictionary<string, string> parameters, List<string> errors)
    {
        if (!parameters.TryGetValue("namespace", out var ns))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(ns))
        {
            errors.Add("namespace: empty");
        }
        else if (KubernetesNames.NamespaceProblem(ns) is { } problem)
        {
            errors.Add($"namespace: {problem}");
        }
    }

    /// <summary>One error for each parameter the action does not take, listing the ones it does.</summary>
    public static void RejectUnknown(IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> known, List<string> errors)
    {
        foreach (var key in parameters.Keys.Where(k => !known.Contains(k)))
        {
            errors.Add($"{key}: unknown parameter ({string.Join(", ", known)})");
        }
    }
}
