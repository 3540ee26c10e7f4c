namespace Watchdog.Rules;

/// <summary>The one place a threshold is checked, and the operators' spelling in policy files.</summary>
internal static class ComparisonOperators
{
    public static bool Holds(this ComparisonOperator op, double value, double threshold) => op switch
    {
        ComparisonOperator.GreaterThan => value > threshold,
        ComparisonOperator.GreaterThanOrEqual => value >= threshold,
        ComparisonOperator.LessThan => value < threshold,
        ComparisonOperator.LessThanOrEqual => value <= threshold,
        ComparisonOperator.Equal => value == threshold,
        ComparisonOperator.NotEqual => value != threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown comparison operator"),
    };

    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown comparison operator"),
    };

    public static bool TryParse(string symbol, out ComparisonOperator op)
    {
        switch (symbol)
        {
            case ">": op = ComparisonOperator.GreaterThan; return true;
            case ">=": op = ComparisonOperator.GreaterThanOrEqual; return true;
            case "<": op = ComparisonOperator.LessThan; return true;
            case "<=": op = ComparisonOperator.LessThanOrEqual; return true;
            case "==": op = ComparisonOperator.Equal; return true;
            case "!=": op = ComparisonOperator.NotEqual; return true;
            default: op = default; return false;
        }
    }
}
