using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// The <c>alertmanager</c> source: <c>alert:&lt;alertname&gt;</c> is 1 while an alert of that name matched to the
/// target is firing, 0 once resolved, no data if none has arrived. Values come from <see cref="AlertBook"/>.
/// </summary>
internal sealed class AlertSignalSource(AlertBook book, TimeProvider time) : ISignalSource
{
    public const string SignalPrefix = "alert:";

    public string Name => "alertmanager";

    public bool Provides(TargetOptions target, string signal)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(signal);
        return signal.StartsWith(SignalPrefix, StringComparison.Ordinal) && target.AlertMatchers.Count > 0;
    }

    public async Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        try
        {
            await book.CatchUpAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // By design: the store being down while the book is first filled is an outage of this source, a value;
            // the next cycle tries the load again.
            var error = SignalValue.Error($"alert state could not be loaded from the store: {exception.Message}");
            return [.. requests.Select(_ => error)];
        }

        var now = time.GetUtcNow();
        return [.. requests.Select(request => request.Signal.StartsWith(SignalPrefix, StringComparison.Ordinal)
            ? book.ValueOf(request.Target.Name, request.Signal[SignalPrefix.Length..], now)
            : SignalValue.NoData)];
    }
}
