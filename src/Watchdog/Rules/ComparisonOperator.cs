namespace Watchdog.Rules;

internal enum ComparisonOperator : byte
{
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Equal,
    NotEqual,
}
