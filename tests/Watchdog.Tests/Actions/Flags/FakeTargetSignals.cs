using Watchdog.Actions;
using Watchdog.Rules;

namespace Watchdog.Tests.Actions.Flags;

/// <summary>
/// Answers each ask at once with the next scripted evaluation (the last one again when the script runs out); a null
/// entry is "no evaluation came in time". Records every ask.
/// </summary>
internal sealed class FakeTargetSignals : ITargetSignals
{
    private readonly Queue<SignalReading[]?> _script = new();
    private SignalReading[]? _last;

    public List<(string Target, DateTimeOffset NotBefore)> Asked { get; } = [];

    public static SignalReading[] ErrorRate(double value) => [new SignalReading("error_rate", SignalState.Number, value, null)];

    public static SignalReading[] NoData => [new SignalReading("error_rate", SignalState.NoData, null, null)];

    public FakeTargetSignals Then(params SignalReading[]?[] evaluations)
    {
        foreach (var evaluation in evaluations)
        {
            _script.Enqueue(evaluation);
        }

        return this;
    }

    public Task<TargetEvaluation?> EvaluatedAfterAsync(string target, DateTimeOffset notBefore, TimeSpan wait, CancellationToken cancellationToken)
    {
        lock (_script)
        {
            Asked.Add((target, notBefore));
            if (_script.Count > 0)
            {
                _last = _script.Dequeue();
            }

            return Task.FromResult(_last is null ? null : new TargetEvaluation(notBefore, _last));
        }
    }
}
