namespace Watchdog.Sandbox.Kubernetes;

/// <summary>
/// One served resource: where it lives in the API and how the server treats writes to it. <see cref="AllowsUnconditionalUpdate"/>
/// false is the registry strategy's AllowUnconditionalUpdate (a Lease's): a PUT without a resourceVersion is refused.
/// </summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    string[] ShortNames,
    bool HasGeneration = false,
    bool HasStatusSubresource = false,
    bool HasScaleSubresource = false,
    bool AcceptsStrategicMerge = true,
    bool AllowsUnconditionalUpdate = true)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name used in Status messages: <c>deployments.apps</c>, or <c>services</c> for the core group.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The name used in Invalid messages: <c>Deployment.apps</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}
