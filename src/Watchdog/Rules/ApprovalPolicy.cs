namespace Watchdog.Rules;

/// <summary>What a policy says about unanswered approvals.</summary>
/// <param name="AutoApproveAfter">Approve on nobody's behalf after this long; null (the default) keeps waiting and escalating.</param>
internal sealed record ApprovalPolicy(TimeSpan? AutoApproveAfter);
