namespace Watchdog.Rules;

/// <summary>
/// One signal's value at one evaluation: a number, no data, or an error. NaN is no data, never a number,
/// so that a division by zero in a query cannot trip a threshold. The default value is no data.
/// A number may carry a <see cref="Note"/>: words from the source that say what the number stands for
/// (which health probes failed and why), shown wherever the value is explained. Rules never read it.
/// </summary>
internal readonly record struct SignalValue
{
    private SignalValue(SignalState state, double number, string? error, string? note)
    {
        State = state;
        Number = number;
        ErrorMessage = error;
        Note = note;
    }

    public SignalState State { get; }

    /// <summary>The value; meaningful only when <see cref="State"/> is <see cref="SignalState.Number"/>.</summary>
    public double Number { get; }

    /// <summary>Why the source failed, when <see cref="State"/> is <see cref="SignalState.Error"/>.</summary>
    public string? ErrorMessage { get; }

    /// <summary>What the number stands for, in the source's words (e.g. <c>2/2 failed: ...</c>); null for most values.</summary>
    public string? Note { get; }

    public static SignalValue NoData => default;

    /// <summary>The target does not watch this signal at all (no source provides it).</summary>
    public static SignalValue NotWatched => new(SignalState.NotWatched, double.NaN, null, null);

    public bool HasNumber => State == SignalState.Number;

    public static SignalValue Of(double number) =>
        double.IsNaN(number) ? NoData : new SignalValue(SignalState.Number, number, null, null);

    /// <summary>A number with the source's words on it; an empty note is no note.</summary>
    public static SignalValue Of(double number, string? note) =>
        double.IsNaN(number) ? NoData : new SignalValue(SignalState.Number, number, null, string.IsNullOrEmpty(note) ? null : note);

    public static SignalValue Error(string message) => new(SignalState.Error, double.NaN, message, null);

    public override string ToString() => State switch
    {
        SignalState.Number => Note is null ? FormatNumber(Number) : $"{FormatNumber(Number)} ({Note})",
        SignalState.Error => $"error ({ErrorMessage})",
        SignalState.NotWatched => "not watched",
        _ => "no data",
    };

    /// <summary>Six significant digits; infinities spelt as Prometheus spells them.</summary>
    public static string FormatNumber(double number) => number switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => number.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
    };
}
