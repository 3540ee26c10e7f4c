namespace Watchdog.Actions;

/// <summary>What a step did. <see cref="Before"/>/<see cref="After"/> go on the incident (revision, flag percentage).</summary>
internal sealed record ActionResult(bool Succeeded, string Summary)
{
    public string? Before { get; init; }

    public string? After { get; init; }

    /// <summary>Specifics as JSON, stored with the step.</summary>
    public string? Detail { get; init; }

    /// <summary>A revision this step rolled back from: it will never be rolled back to again.</summary>
    public RevisionRef? RolledBackFrom { get; init; }

    /// <summary>
    /// The step succeeded and found the target healthy again (a flag reduction that paused part way): the plan is
    /// done, and its later steps are not run.
    /// </summary>
    public bool TargetRecovered { get; init; }

    public static ActionResult Success(string summary) => new(true, summary);

    /// <summary>Succeeded, and the target recovered: the executor ends the plan here (see <see cref="TargetRecovered"/>).</summary>
    public static ActionResult Recovered(string summary) => new(true, summary) { TargetRecovered = true };

    public static ActionResult Failure(string summary) => new(false, summary);
}

/// <summary>A revision of a resource, e.g. (<c>deployment/production/checkout</c>, <c>5</c>).</summary>
internal sealed record RevisionRef(string Resource, string Revision);
