namespace Watchdog.Rules;

/// <summary>
/// One signal's value at one evaluation: a number, no data, or an error. NaN is no data, never a number,
/// so that a division by zero in a query cannot trip a threshold. The default value is no data.
/// </summary>
public readonly record struct SignalValue
{
    private SignalValue(SignalState state, double number, string? error)
    {
        State = state;
        Number = number;
        ErrorMessage = error;
    }

    public SignalState State { get; }

    /// <summary>The value; meaningful only when <see cref="State"/> is <see cref="SignalState.Number"/>.</summary>
    public double Number { get; }

    /// <summary>Why the source failed, when <see cref="State"/> is <see cref="SignalState.Error"/>.</summary>
    public string? ErrorMessage { get; }

    public static SignalValue NoData => default;

    public bool HasNumber => State == SignalState.Number;

    public static SignalValue Of(double number) =>
        double.IsNaN(number) ? NoData : new SignalValue(SignalState.Number, number, null);

    public static SignalValue Error(string message) => new(SignalState.Error, double.NaN, message);

    public override string ToString() => State switch
    {
        SignalState.Number => FormatNumber(Number),
        SignalState.Error => $"error ({ErrorMessage})",
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
