namespace Watchdog.Rules;

/// <summary>Which decision wins when several rules hold, and when a matrix and a tree both decide.</summary>
internal static class DecisionPrecedence
{
    // With both a matrix and a tree the more severe wins; a conclusive action beats an inconclusive part,
    // but an inconclusive part is not overruled by a mere "none".
    public static Decision Combine(Decision matrix, Decision tree)
    {
        var suppressed = matrix.SuppressedByCooldown || tree.SuppressedByCooldown;
        if (matrix.IsInconclusive || tree.IsInconclusive)
        {
            var conclusive = matrix.IsInconclusive ? tree : matrix;
            var winner = !conclusive.IsInconclusive && conclusive.Action != DecisionAction.None
                ? conclusive
                : Decision.InconclusiveAt(matrix.At);
            return winner with { SuppressedByCooldown = suppressed };
        }

        var pick = Outranks(tree, matrix) ? tree : matrix;
        return pick with { SuppressedByCooldown = suppressed };
    }

    // Most severe action first; among equals the least authority needed; among those, the earlier rule.
    public static bool Outranks(Outcome candidate, Outcome incumbent) =>
        Outranks(candidate.Action, candidate.Authority, incumbent.Action, incumbent.Authority);

    private static bool Outranks(Decision candidate, Decision incumbent) =>
        Outranks(candidate.Action, candidate.Authority, incumbent.Action, incumbent.Authority);

    private static bool Outranks(DecisionAction action, Authority authority, DecisionAction otherAction, Authority otherAuthority)
    {
        var severity = action.Severity();
        var otherSeverity = otherAction.Severity();
        return severity > otherSeverity || (severity == otherSeverity && authority < otherAuthority);
    }
}
