namespace Watchdog.Rules;

/// <summary>
/// A condition as written in a policy. Every kind may carry <see cref="For"/>: it then holds at time t only
/// if it held at every evaluation from t−for to t (Prometheus alerting semantics).
/// </summary>
internal abstract record ConditionDefinition
{
    public TimeSpan For { get; init; }
}

/// <summary><c>signal op threshold</c>, e.g. <c>error_rate &gt; 0.05</c>.</summary>
internal sealed record ComparisonCondition(string Signal, ComparisonOperator Operator, double Threshold) : ConditionDefinition
{
    public MissingDataPolicy OnNoData { get; init; }

    public MissingDataPolicy OnError { get; init; }
}

/// <summary>True if one part is true, false if all are false, unknown otherwise.</summary>
internal sealed record AnyCondition(IReadOnlyList<ConditionDefinition> Parts) : ConditionDefinition;

/// <summary>True if all parts are true, false if one is false, unknown otherwise.</summary>
internal sealed record AllCondition(IReadOnlyList<ConditionDefinition> Parts) : ConditionDefinition;

/// <summary>Negation; unknown stays unknown.</summary>
internal sealed record NotCondition(ConditionDefinition Part) : ConditionDefinition;

/// <summary>A use of a named condition from the policy's <c>conditions</c> section; all uses share its <c>for</c> clock.</summary>
internal sealed record ConditionReference(string Name) : ConditionDefinition;
