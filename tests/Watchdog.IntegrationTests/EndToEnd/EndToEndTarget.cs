namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// One target of an end-to-end daemon: its name (which is also its deployment's and its variable <c>deployment</c>),
/// the policy it is watched under (one of <see cref="EndToEndPolicies"/>) and its rollback plan as a YAML flow
/// sequence (e.g. <c>[{action: deployment-undo, deployment: NAME, namespace: e2e}]</c>; see <see cref="EndToEndWorld.Undo"/>).
/// A target under <see cref="EndToEndPolicies.AlertOnly"/> also takes the Alertmanager alerts labelled with its deployment.
/// </summary>
public sealed record EndToEndTarget(string Name, string Plan, string Policy = EndToEndPolicies.ErrorRate);
