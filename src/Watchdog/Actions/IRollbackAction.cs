namespace Watchdog.Actions;

/// <summary>
/// A way of carrying out one step of a plan (<c>webhook</c>, <c>deployment-undo</c>, <c>flag-reduce</c>, ...),
/// found by <see cref="Name"/> from the target's plan. Expected failures are results, not exceptions.
/// </summary>
internal interface IRollbackAction
{
    /// <summary>The name plans use in <c>- action: NAME</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether running the step again after the process stopped mid-step is safe. The executor resumes an
    /// interrupted idempotent step and reports a non-idempotent one as interrupted instead of repeating it.
    /// </summary>
    bool IsIdempotent { get; }

    /// <summary>Every problem with a step's parameters, checked when the configuration loads; empty when valid.</summary>
    IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters);

    Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken);
}
