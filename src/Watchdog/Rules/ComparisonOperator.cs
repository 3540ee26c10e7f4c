namespace Watchdog.Rules;

public enum ComparisonOperator : byte
{
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Equal,
    NotEqual,
}
