using Watchdog.Actions;

namespace Watchdog.Tests.Fakes;

/// <summary>An action plug-in that records each call and does what the test says.</summary>
internal sealed class RecordingAction(string name, bool idempotent = false, Func<ActionContext, CancellationToken, Task<ActionResult>>? behaviour = null) : IRollbackAction
{
    private int _calls;

    public string Name => name;

    public bool IsIdempotent => idempotent;

    public List<ActionContext> Calls { get; } = [];

    public int CallCount => Volatile.Read(ref _calls);

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => [];

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (Calls)
        {
            Calls.Add(context);
        }

        return behaviour is null ? ActionResult.Success($"{name} done") : await behaviour(context, cancellationToken);
    }
}
