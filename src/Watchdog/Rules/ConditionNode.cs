namespace Watchdog.Rules;

/// <summary>One condition flattened for evaluation; children always sit at lower indexes than their parent.</summary>
internal struct ConditionNode
{
    public ConditionNodeKind Kind;
    public int Signal;
    public ComparisonOperator Operator;
    public double Threshold;
    public MissingDataPolicy OnNoData;
    public MissingDataPolicy OnError;
    public int FirstChild;
    public int ChildCount;
    public long ForTicks;
    public int ForSlot;
    public string? Name;
}
