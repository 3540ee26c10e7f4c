namespace Watchdog.Actions.Kubernetes;

/// <summary>RFC 6901 paths for the JSON Patches the traffic actions send: label keys like <c>app.kubernetes.io/version</c> contain '/'.</summary>
internal static class JsonPointer
{
    /// <summary>One reference token: '~' becomes <c>~0</c> first, then '/' becomes <c>~1</c> (the other order would turn '/' into '~01').</summary>
    public static string Escape(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    public static string Of(params string[] tokens) => string.Concat(tokens.Select(t => "/" + Escape(t)));
}
