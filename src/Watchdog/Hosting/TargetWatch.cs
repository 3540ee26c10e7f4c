using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Hosting;

/// <summary>What the watch cycle keeps for one target between ticks: its policy state, frame and schedule.</summary>
internal sealed class TargetWatch(TargetOptions options, CompiledPolicy policy)
{
    private TargetStatus _status = new(options.Name, options.Policy);

    public TargetOptions Options { get; } = options;

    public CompiledPolicy Policy { get; } = policy;

    public PolicyState State { get; } = policy.CreateState();

    /// <summary>Reused every evaluation: every slot is overwritten before the policy reads it.</summary>
    public SignalValue[] Frame { get; } = policy.CreateFrame();

    /// <summary>This cycle's signals: frame index, source index, position in that source's batch.</summary>
    public List<(int Frame, int Source, int Request)> Slots { get; } = [];

    /// <summary>Set when choosing this cycle's sources threw; the evaluation reports it as the target's failure.</summary>
    public System.Runtime.ExceptionServices.ExceptionDispatchInfo? PlanningError { get; set; }

    public DateTimeOffset? NextDueAt { get; private set; }

    // Written by the loop, read by HTTP handlers: a reference swap of an immutable snapshot.
    public TargetStatus Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

    /// <summary>
    /// Due when the next slot is at most <paramref name="tolerance"/> away. A target never evaluated is due at once.
    /// </summary>
    public bool IsDue(DateTimeOffset now, TimeSpan tolerance) => NextDueAt is not { } due || due - tolerance <= now;

    /// <summary>Moves the schedule on by whole intervals, so it keeps its grid and a stalled cycle skips the slots it missed.</summary>
    public void ScheduleAfter(DateTimeOffset now, TimeSpan tolerance)
    {
        var next = (NextDueAt ?? now) + Options.Interval;
        while (next - tolerance <= now)
        {
            next += Options.Interval;
        }

        NextDueAt = next;
    }
}
