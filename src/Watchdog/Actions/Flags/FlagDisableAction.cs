using System.Text.Json;
using Watchdog.Flags;
using Watchdog.Plugins;

namespace Watchdog.Actions.Flags;

/// <summary>
/// <c>flag-disable</c>: the runbook's "Immediate Feature Disable". Saves the flag's state, sets its rollout
/// strategies to 0 % (so it stays at nobody if someone turns it back on), turns it off in the environment, and reads it
/// back: the step succeeds only when the provider says it is off. Doing it twice changes nothing, so it is idempotent.
/// </summary>
internal sealed class FlagDisableAction(IFlagProviders providers) : IRollbackAction, IPlugin, IFlagStep, IStepPreview
{
    public static string PluginName => "flag-disable";

    public string Name => PluginName;

    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        FlagStepParameters.Check(parameters, FlagStepParameters.Common, errors);
        return errors;
    }

    public async Task<StepPreview?> PreviewAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (FlagStepParameters.Provider(providers, context.Parameters, out _) is not { } provider)
        {
            return null;
        }

        var flag = FlagStepParameters.Flag(context.Parameters);
        return new StepPreview(FlagStateText.Describe(await provider.ReadAsync(flag, cancellationToken)), $"{flag.Flag} off");
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (FlagStepParameters.Provider(providers, context.Parameters, out var missing) is not { } provider)
        {
            return ActionResult.Failure(missing!);
        }

        var flag = FlagStepParameters.Flag(context.Parameters);
        string? before = null;
        try
        {
            var state = await provider.ReadAsync(flag, cancellationToken);

            // Resumed after a restart, the state saved the first time is the one before: the flag may be half changed now.
            before = context.Step.Attempts > 1 ? Saved(context.Step.Result) : null;
            if (before is null)
            {
                before = FlagStateText.Describe(state);
                await context.Journal.SaveStateAsync($"flag {flag.Flag}", FlagStateText.ToJson(state), cancellationToken);
                await context.Journal.CheckpointAsync(JsonSerializer.Serialize(new { before }), cancellationToken);
            }

            return await DisableAsync(context, provider, flag, state, before, cancellationToken);
        }
        catch (FlagProviderException ex)
        {
            return ActionResult.Failure($"flag {flag.Flag}: {ex.Message}") with { Before = before };
        }
    }

    /// <summary>Rollout 0 where there is one, then off, then the read-back that decides.</summary>
    internal static async Task<ActionResult> DisableAsync(ActionContext context, IFlagProvider provider, FlagRef flag, FlagState state, string before, CancellationToken cancellationToken)
    {
        if (state.HighestRollout > 0)
        {
            await provider.SetRolloutAsync(flag, 0, cancellationToken);
            await context.Journal.ProgressAsync($"{flag.Flag}: rollout {FlagStateText.Percent(state.HighestRollout.Value)} → {FlagStateText.Percent(0)}", null, cancellationToken);
        }

        if (state.Enabled)
        {
            await provider.SetEnabledAsync(flag, false, cancellationToken);
        }

        var after = await provider.ReadAsync(flag, cancellationToken);
        var read = FlagStateText.Describe(after);
        if (after.Enabled || after.HighestRollout > 0)
        {
            return ActionResult.Failure($"{flag.Flag} is not off after disabling it: {provider.Name} reads back {read}") with { Before = before, After = read };
        }

        await context.Journal.ProgressAsync($"{flag.Flag} read back from {provider.Name}: {read}{FlagStateText.In(after.Environment)}", FlagStateText.ToJson(after), cancellationToken);
        return ActionResult.Success(state.Enabled ? $"{flag.Flag} disabled in {after.Environment} (was {before})" : $"{flag.Flag} was already off in {after.Environment}")
            with { Before = before, After = read };
    }

    private static string? Saved(string? checkpoint)
    {
        if (checkpoint is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(checkpoint);
            return document.RootElement.TryGetProperty("before", out var before) ? before.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a checkpoint of this action (a result from an older version): the state read now is all there is.
            return null;
        }
    }
}
