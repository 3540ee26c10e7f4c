namespace Watchdog.IntegrationTests.Faults;

/// <summary>Files the fault tests' daemons share: the threshold policy and a kubeconfig.</summary>
internal static class FaultFiles
{
    /// <summary>
    /// <paramref name="signal"/> above <paramref name="threshold"/> (0.10) rolls back (with <paramref name="authority"/>), at or below it is fine. Any
    /// number therefore decides one way or the other: only missing or failed data leaves the decision inconclusive,
    /// so a test seeing "inconclusive, no action" knows that no made-up number reached the rules.
    /// </summary>
    public static string ThresholdPolicy(string name = "error-rate", string signal = "error_rate", string authority = "automatic", string threshold = "0.10") => $$"""
        name: {{name}}
        matrix:
          - {id: {{name}}-high, when: "{{signal}} > {{threshold}}", action: rollback, authority: {{authority}}, severity: critical}
          - {id: {{name}}-fine, when: "{{signal}} <= {{threshold}}", action: none}
        """;

    /// <summary>A kubeconfig for a plain-HTTP API server with no credentials (the simulator, or a proxy in front of it).</summary>
    public static string Kubeconfig(Uri server) => $$$"""
        apiVersion: v1
        kind: Config
        clusters: [{name: sim, cluster: {server: "{{{server.ToString().TrimEnd('/')}}}"}}]
        users: [{name: nobody, user: {}}]
        contexts: [{name: sim, context: {cluster: sim, user: nobody}}]
        current-context: sim
        """;

    /// <summary>
    /// A daemon's config in which each of <paramref name="deployments"/> is a target reading <c>error_rate</c> from
    /// <paramref name="prometheus"/> under the threshold policy (policy.yaml) and rolling back with one
    /// <c>deployment-undo</c> of its deployment in the proxied cluster's namespace, reached through kubeconfig.yaml;
    /// evaluated every 500 ms. <paramref name="notifications"/> is the <c>notifications:</c> list, when there is one.
    /// </summary>
    public static string UndoConfig(Uri prometheus, IEnumerable<string> deployments, string? notifications = null)
    {
        var targets = string.Join('\n', deployments.Select(name =>
            $"  - {{name: {name}, policy: error-rate, plans: {{rollback: [{{action: deployment-undo, deployment: {name}, namespace: {ProxiedCluster.Namespace}}}]}}}}"));
        var channels = notifications is null ? "" : $"notifications:\n{notifications}\n";
        return $$$"""
            store: {path: watchdog.db}
            kubernetes: {kubeconfig: kubeconfig.yaml}
            sources:
              prometheus: {url: "{{{prometheus}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            {{{channels}}}defaults: {interval: 500ms, dry_run: false}
            targets:
            {{{targets}}}
            """;
    }
}
