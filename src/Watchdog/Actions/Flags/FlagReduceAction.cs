using Watchdog.Flags;
using Watchdog.Plugins;
using Watchdog.Rules;

namespace Watchdog.Actions.Flags;

/// <summary>
/// <c>flag-reduce</c>: the runbook's "Gradual Feature Rollback". Lowers a flag's rollout through <c>steps</c>
/// (only those below where it is), holds each for <c>hold</c>, then judges <c>until</c> on the target's own signals
/// from an evaluation made after the hold: healthy, it pauses there and the plan ends as recovered; still unhealthy
/// at the last step, it turns the flag off (<c>disable_at_zero</c>) and the plan goes on. Where it stands is kept
/// on the step, so it is idempotent: a restart resumes in the hold it was in.
/// </summary>
internal sealed class FlagReduceAction(IFlagProviders providers, ITargetSignals signals) : IRollbackAction, IPlugin, IFlagStep, IStepPreview
{
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(2);

    private static readonly string[] Known = [.. FlagStepParameters.Common, "steps", "hold", "until", "disable_at_zero"];

    public static string PluginName => "flag-reduce";

    public string Name => PluginName;

    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        FlagStepParameters.Check(parameters, Known, errors);
        if (parameters.TryGetValue("steps", out var steps) && ReductionSteps.TryParse(steps, out var stepsError) is null)
        {
            errors.Add($"steps: {stepsError}");
        }

        if (parameters.TryGetValue("hold", out var hold) && (!DurationText.TryParse(hold, out var duration) || duration <= TimeSpan.Zero))
        {
            errors.Add($"hold: '{hold}' is not a duration above zero");
        }

        if (parameters.TryGetValue("until", out var until) && StopCondition.TryParse(until, out var untilError) is null)
        {
            errors.Add($"until: {untilError}");
        }

        if (parameters.TryGetValue("disable_at_zero", out var disable) && !bool.TryParse(disable, out _))
        {
            errors.Add($"disable_at_zero: '{disable}' is not true or false");
        }

        return errors;
    }

    // The flag as it is, and the steps the reduction would go through from there (it stops at the first healthy check).
    public async Task<StepPreview?> PreviewAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (FlagStepParameters.Provider(providers, context.Parameters, out _) is not { } provider)
        {
            return null;
        }

        var flag = FlagStepParameters.Flag(context.Parameters);
        var state = await provider.ReadAsync(flag, cancellationToken);
        var steps = ReductionSteps.TryParse(context.Parameters.GetValueOrDefault("steps") ?? ReductionSteps.Default, out _)!;
        var plan = state is { Enabled: true, HighestRollout: { } from } ? ReductionSteps.Below(steps, from) : [];
        return new StepPreview(
            FlagStateText.Describe(state),
            plan.Count == 0 ? null : $"{flag.Flag} stepped down to {string.Join(", ", plan.Select(FlagStateText.Percent))}, pausing once healthy");
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (FlagStepParameters.Provider(providers, context.Parameters, out var missing) is not { } provider)
        {
            return ActionResult.Failure(missing!);
        }

        var parameters = context.Parameters;
        var settings = new FlagReductionSettings(
            ReductionSteps.TryParse(parameters.GetValueOrDefault("steps") ?? ReductionSteps.Default, out _)!,
            parameters.TryGetValue("hold", out var hold) && DurationText.TryParse(hold, out var duration) ? duration : DefaultHold,
            StopCondition.TryParse(parameters.GetValueOrDefault("until") ?? StopCondition.Default, out _)!,
            !parameters.TryGetValue("disable_at_zero", out var disable) || bool.Parse(disable));
        var reduction = new FlagReduction(context, provider, FlagStepParameters.Flag(parameters), settings, signals);
        try
        {
            return await reduction.RunAsync(cancellationToken);
        }
        catch (FlagProviderException ex)
        {
            return reduction.Failed(ex.Message);
        }
    }
}
