namespace Watchdog.Rules;

/// <summary>
/// Three-valued truth, and a fourth for targets that do not watch a signal: a condition over missing or failed
/// data is <see cref="Unknown"/>, never true; one over a signal the target does not watch at all is
/// <see cref="NotApplicable"/>, which counts as false and never makes a decision inconclusive.
/// </summary>
internal enum Truth : byte
{
    False = 0,
    True = 1,
    Unknown = 2,
    NotApplicable = 3,
}
