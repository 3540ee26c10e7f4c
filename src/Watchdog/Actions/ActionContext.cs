using Watchdog.Configuration;
using Watchdog.Records;

namespace Watchdog.Actions;

/// <summary>Everything a step needs: where it runs, its parameters, and a way to report progress.</summary>
internal sealed record ActionContext(
    TargetOptions Target,
    Incident Incident,
    ActionRun Run,
    ActionStep Step,
    IActionJournal Journal,
    TimeProvider Time)
{
    public IReadOnlyDictionary<string, string> Parameters => Step.Parameters;
}
