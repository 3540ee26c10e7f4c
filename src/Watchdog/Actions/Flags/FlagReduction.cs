using System.Text.Json;
using Watchdog.Flags;
using Watchdog.Rules;

namespace Watchdog.Actions.Flags;

/// <summary>
/// One run of a <c>flag-reduce</c> step: step down, hold, check, from the flag's state or from where the step's
/// checkpoint says it was. Every step, hold and check is a line on the incident with the values seen.
/// </summary>
internal sealed class FlagReduction(ActionContext context, IFlagProvider provider, FlagRef flag, FlagReductionSettings settings, ITargetSignals signals)
{
    // An evaluation made after the hold normally arrives within one interval; two and a margin allow for a slow source.
    private static readonly TimeSpan EvaluationMargin = TimeSpan.FromSeconds(10);

    private ReductionCheckpoint? _at;
    private bool _resumed;

    private DateTimeOffset Now => context.Time.GetUtcNow();

    private string Until => settings.Until.Text;

    public async Task<ActionResult> RunAsync(CancellationToken cancellationToken)
    {
        _at = context.Step.Attempts > 1 ? ReductionCheckpoint.Read(context.Step.Result) : null;
        _resumed = _at is not null;
        if (_at is null && await StartAsync(cancellationToken) is { } done)
        {
            return done;
        }

        var at = _at!;
        var plan = ReductionSteps.Below(settings.Steps, at.From);

        // The steps above the one under way are done; resumed, the reduction carries on from it, not from the first.
        for (var i = at.Percent is { } current ? plan.Count(s => s > current) : 0; i < plan.Count; i++)
        {
            var percent = plan[i];
            if (_at!.Percent != percent || _at.HoldStartedAt is null)
            {
                await StepAsync(i == 0 ? at.From : plan[i - 1], percent, i + 1, plan.Count, cancellationToken);
            }

            var (truth, seen) = await HoldAndCheckAsync(percent, cancellationToken);
            if (truth == Truth.True)
            {
                await context.Journal.AnnounceAsync($"pause/{percent}", $"{Until} holds ({seen}): pausing rollback at {FlagStateText.Percent(percent)}", null, cancellationToken);
                return ActionResult.Recovered($"pausing rollback at {FlagStateText.Percent(percent)}: {Until} holds ({seen})")
                    with { Before = at.Before, After = FlagStateText.OnAt(flag.Flag, percent) };
            }

            await ProgressAsync($"{flag.Flag} still unhealthy at {FlagStateText.Percent(percent)} ({seen}){(i + 1 < plan.Count ? "; next step" : "")}", null, cancellationToken);
        }

        return await FinishAsync(cancellationToken);
    }

    /// <summary>The step's failure, with how far the reduction got.</summary>
    public ActionResult Failed(string message) =>
        ActionResult.Failure($"flag {flag.Flag}: {message}") with
        {
            Before = _at?.Before,
            After = _at is { Percent: { } percent, HoldStartedAt: not null } ? FlagStateText.OnAt(flag.Flag, percent) : null,
        };

    // The first run: the state before is saved on the incident, and the checkpoint that later ones resume from is written.
    private async Task<ActionResult?> StartAsync(CancellationToken cancellationToken)
    {
        var state = await provider.ReadAsync(flag, cancellationToken);
        var before = FlagStateText.Describe(state);
        await context.Journal.SaveStateAsync($"flag {flag.Flag}", FlagStateText.ToJson(state), cancellationToken);
        if (!state.Enabled)
        {
            return ActionResult.Success($"{flag.Flag} is already off{FlagStateText.In(state.Environment)}; nothing to reduce") with { Before = before, After = before };
        }

        if (state.HighestRollout is not { } from)
        {
            return ActionResult.Failure($"flag {flag.Flag} has no strategy with a rollout percentage in {state.Environment}: nothing to reduce (flag-disable turns it off)") with { Before = before };
        }

        _at = new ReductionCheckpoint(before, from);
        await context.Journal.CheckpointAsync(_at.ToJson(), cancellationToken);
        var plan = ReductionSteps.Below(settings.Steps, from);
        var through = plan.Count == 0 ? "no step is below it" : $"reducing through {string.Join(", ", plan.Select(FlagStateText.Percent))}, holding {DurationText.Format(settings.Hold)} after each until {Until}";
        var strategies = state.Strategies.Count > 1
            ? $" ({state.Rollouts.Count()} of its {state.Strategies.Count} strategies have a rollout percentage; each step sets them all, the others are left as they are)"
            : "";
        await ProgressAsync($"{before}{FlagStateText.In(state.Environment)}: {through}{strategies}", new { from, steps = plan }, cancellationToken);
        return null;
    }

    // Written before the change and again after it, so a restart in between sets the same percentage again (harmless)
    // rather than skipping the step's hold.
    private async Task StepAsync(int from, int percent, int number, int count, CancellationToken cancellationToken)
    {
        _resumed = false;
        await SaveAsync(_at! with { Percent = percent, HoldStartedAt = null, HeldAgain = false }, cancellationToken);
        await provider.SetRolloutAsync(flag, percent, cancellationToken);
        await SaveAsync(_at with { HoldStartedAt = Now }, cancellationToken);
        await context.Journal.AnnounceAsync(
            $"reduce/{percent}",
            $"Reducing {flag.Flag}: {FlagStateText.Percent(from)} → {FlagStateText.Percent(percent)} (step {number} of {count})",
            JsonSerializer.Serialize(new { from, to = percent, step = number, of = count }),
            cancellationToken);
    }

    // Unknown data is neither healthy nor unhealthy: one more hold, then it counts as unhealthy, so missing data never
    // stops a rollback.
    private async Task<(Truth Truth, string Seen)> HoldAndCheckAsync(int percent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var holdEnd = _at!.HoldStartedAt!.Value + settings.Hold;
            var left = holdEnd - Now;
            var hold = DurationText.Format(settings.Hold);
            await ProgressAsync(
                _resumed ? $"resumed after a restart in the hold at {FlagStateText.Percent(percent)}: {DurationText.Format(left > TimeSpan.Zero ? left : TimeSpan.Zero)} of its {hold} left"
                : _at.HeldAgain ? $"holding at {FlagStateText.Percent(percent)} once more ({hold}) before deciding"
                : $"holding at {FlagStateText.Percent(percent)} for {hold}, then checking {Until}",
                new { percent, hold_started_at = _at.HoldStartedAt, hold_ends_at = holdEnd },
                cancellationToken);
            _resumed = false;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, context.Time, cancellationToken);
            }

            var evaluation = await signals.EvaluatedAfterAsync(context.Target.Name, holdEnd, 2 * context.Target.Interval + EvaluationMargin, cancellationToken);
            var (truth, seen) = settings.Until.Judge(evaluation);
            var verdict = truth switch { Truth.True => "holds", Truth.False => "does not hold", _ => "unknown" };
            await ProgressAsync(
                $"check at {FlagStateText.Percent(percent)}: {seen}: {Until} {verdict}",
                new { percent, until = Until, result = verdict, evaluated_at = evaluation?.EvaluatedAt, signals = evaluation?.Signals },
                cancellationToken);
            if (truth != Truth.Unknown)
            {
                return (truth, seen);
            }

            if (_at.HeldAgain)
            {
                await ProgressAsync($"data still unknown at {FlagStateText.Percent(percent)} after one more hold: taken as unhealthy, the rollback goes on", null, cancellationToken);
                return (Truth.False, seen);
            }

            await SaveAsync(_at with { HeldAgain = true, HoldStartedAt = Now }, cancellationToken);
        }
    }

    // Still unhealthy at the last step: off, when it is 0 % and the step says so; the plan goes on either way.
    private async Task<ActionResult> FinishAsync(CancellationToken cancellationToken)
    {
        var at = _at!;
        var last = at.Percent ?? at.From;
        var (reduced, checks) = at.Percent is null
            ? ($"{flag.Flag} is at {FlagStateText.Percent(last)}, no step below it", "")
            : ($"{flag.Flag} reduced {FlagStateText.Percent(at.From)} → {FlagStateText.Percent(last)}", $"; {Until} did not hold at any step");
        if (!settings.DisableAtZero || last != 0)
        {
            return ActionResult.Success($"{reduced}{checks}") with { Before = at.Before, After = FlagStateText.OnAt(flag.Flag, last) };
        }

        var state = await provider.ReadAsync(flag, cancellationToken);
        var disabled = await FlagDisableAction.DisableAsync(context, provider, flag, state, at.Before, cancellationToken);
        if (disabled.Succeeded)
        {
            await context.Journal.AnnounceAsync("disabled", $"{flag.Flag} still unhealthy at 0 %: disabled", null, cancellationToken);
        }

        return disabled.Succeeded
            ? ActionResult.Success($"{reduced} and disabled{checks}") with { Before = at.Before, After = disabled.After }
            : disabled;
    }

    private async Task SaveAsync(ReductionCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        _at = checkpoint;
        await context.Journal.CheckpointAsync(checkpoint.ToJson(), cancellationToken);
    }

    private Task ProgressAsync(string summary, object? detail, CancellationToken cancellationToken) =>
        context.Journal.ProgressAsync(summary, detail is null ? null : JsonSerializer.Serialize(detail), cancellationToken);
}
