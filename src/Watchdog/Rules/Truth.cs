namespace Watchdog.Rules;

/// <summary>Three-valued truth: a condition over missing or failed data is <see cref="Unknown"/>, never true.</summary>
internal enum Truth : byte
{
    False = 0,
    True = 1,
    Unknown = 2,
}
