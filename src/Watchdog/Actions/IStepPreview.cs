namespace Watchdog.Actions;

/// <summary>
/// An action that can say, reading only, what its step would change from and to, so ROLLBACK IN PROGRESS (sent before
/// any step runs) names the real thing: <c>checkout:v2-bad (revision 3)</c> → <c>checkout:v1 (revision 1)</c>.
/// A preview changes nothing and writes nothing; the step itself decides again when it runs.
/// </summary>
internal interface IStepPreview
{
    /// <returns>What runs now and where the step would land, each null when not known; null when nothing could be read.</returns>
    Task<StepPreview?> PreviewAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>What a step would change: <see cref="Current"/> (the running version) and <see cref="Landing"/> (where it would land).</summary>
internal sealed record StepPreview(string? Current, string? Landing);
