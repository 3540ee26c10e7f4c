namespace Watchdog.Actions;

/// <summary>
/// What the watch loop measured for a target, for a step that judges the target's health itself between its own
/// changes (<c>flag-reduce</c>'s stop condition). The host fills it from the watch loop, so a step sees the values
/// the policy sees, read by the same sources, and never queries a source of its own.
/// </summary>
internal interface ITargetSignals
{
    /// <summary>
    /// The signal values of the first evaluation of <paramref name="target"/> made at or after
    /// <paramref name="notBefore"/>, waiting for one at most <paramref name="wait"/>; null when none came in that
    /// time (the data is then unknown, as for a signal without data).
    /// </summary>
    Task<TargetEvaluation?> EvaluatedAfterAsync(string target, DateTimeOffset notBefore, TimeSpan wait, CancellationToken cancellationToken);
}
