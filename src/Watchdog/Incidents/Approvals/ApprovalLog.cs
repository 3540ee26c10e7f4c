using Microsoft.Extensions.Logging;

namespace Watchdog.Incidents.Approvals;

// Never pass a token or an Authorization header to these: callers are named by their configured token name.
internal static partial class ApprovalLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "Approval {ApprovalId} for {Target} ({Action}, needs {Required}) {Outcome} by {DecidedBy}")]
    public static partial void Decided(ILogger logger, long approvalId, string target, string action, string required, string outcome, string decidedBy);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "Approval {ApprovalId} for {Target} unanswered for {Waited}; escalated to level {Level}, notifying {Notify}")]
    public static partial void Escalated(ILogger logger, long approvalId, string target, string waited, int level, string notify);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "{Caller} (role {Role}) may not decide approval {ApprovalId} for {Target}: it needs {Required} or above")]
    public static partial void Forbidden(ILogger logger, string caller, string role, long approvalId, string target, string required);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: no valid bearer token")]
    public static partial void Unauthenticated(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error,
        Message = "Approval {ApprovalId} for {Target} is recorded as {Outcome}, but handing it to the executor failed")]
    public static partial void OutcomeHandlerFailed(ILogger logger, long approvalId, string target, string outcome, Exception exception);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "Advancing approval {ApprovalId} for {Target} failed; it is retried next tick")]
    public static partial void AdvanceFailed(ILogger logger, long approvalId, string target, Exception exception);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "Listing pending approvals failed; retried next tick")]
    public static partial void ListFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information,
        Message = "Approvals: escalation checked every {TickPeriod}; {TokenCount} API tokens configured")]
    public static partial void Started(ILogger logger, string tickPeriod, int tokenCount);
}
