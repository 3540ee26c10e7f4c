using Watchdog.Rules;

namespace Watchdog.PolicyTesting;

/// <summary>A policy unit test file: the policy under test, the sample spacing, and the tests.</summary>
internal sealed record PolicyTestFile(string Path, string PolicyPath, TimeSpan Interval, IReadOnlyList<PolicyTestCase> Tests);

/// <param name="ActionsAt">Times at which an action is taken on the target, to exercise cooldowns (an extension of the format).</param>
internal sealed record PolicyTestCase(
    string Name,
    int Line,
    IReadOnlyDictionary<string, IReadOnlyList<SignalValue>> Signals,
    IReadOnlyList<PolicyExpectation> Expectations,
    IReadOnlyList<TimeSpan> ActionsAt);

/// <summary>The decision expected at one time; null fields are not checked.</summary>
internal sealed record PolicyExpectation(TimeSpan At, DecisionAction Action, Authority? Authority, string? Rule, bool? Inconclusive, int Line);
