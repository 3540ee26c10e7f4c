using Microsoft.Extensions.Logging;

namespace Watchdog.Actions;

internal static partial class ExecutorLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Target {Target} incident {IncidentId}: {Action} planned ({Steps} steps, authority {Authority}, run {RunId}{DryRun})")]
    public static partial void Planned(ILogger logger, string target, long incidentId, string action, int steps, string authority, long runId, string dryRun);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Target {Target} incident {IncidentId}: {Action} not run: {Reason}")]
    public static partial void Skipped(ILogger logger, string target, long incidentId, string action, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Target {Target} run {RunId} step {Step} ({Action}): {Outcome}: {Summary}")]
    public static partial void StepDone(ILogger logger, string target, long runId, int step, string action, string outcome, string summary);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Target {Target} run {RunId} ended {Status}")]
    public static partial void RunDone(ILogger logger, string target, long runId, string status);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Target {Target} run {RunId} step {Step} ({Action}) was under way when Watchdog stopped: {Outcome}")]
    public static partial void Recovered(ILogger logger, string target, long runId, int step, string action, string outcome);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Executing run {RunId} failed; it stays as journalled and is recovered once the store answers")]
    public static partial void RunCrashed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "The store did not take {What} for run {RunId} (try {Attempt}): {Error}; trying again in {Delay}, the run waits for it")]
    public static partial void JournalWriteFailed(ILogger logger, string what, long runId, int attempt, string delay, string error);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Run {RunId} recovered after its executor failed: {Outcome}")]
    public static partial void RunRecovered(ILogger logger, long runId, string outcome);

    [LoggerMessage(EventId = 109, Level = LogLevel.Debug, Message = "Run {RunId}: step {Step} ({Action}) could not preview what it changes, the message leaves it out: {Error}")]
    public static partial void PreviewFailed(ILogger logger, long runId, int step, string action, string error);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Recovering runs and handing over approvals failed (the store?), tried again every {Delay} until it answers: {Error}")]
    public static partial void RecoveryFailed(ILogger logger, string delay, string error);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Run {RunId} stopped: {Why}; the leader that took over carries it on from its journal")]
    public static partial void RunDeposed(ILogger logger, long runId, string why);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Target {Target} run {RunId}: paused before step {Step} ({Action}) on shutdown; the next start or leader continues it from there")]
    public static partial void RunPaused(ILogger logger, string target, long runId, int step, string action);
}
