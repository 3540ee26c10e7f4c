namespace Watchdog.Incidents.Approvals;

internal enum ApprovalDecisionOutcome
{
    /// <summary>This call approved a pending approval.</summary>
    Approved,

    /// <summary>This call rejected a pending approval.</summary>
    Rejected,

    /// <summary>It was already decided the way this call asked: an idempotent success, nothing changed.</summary>
    AlreadyDecided,

    /// <summary>It was already decided the other way; nothing changed.</summary>
    Conflict,

    NotFound,

    /// <summary>The caller's role is below the approval's required authority.</summary>
    Forbidden,
}
