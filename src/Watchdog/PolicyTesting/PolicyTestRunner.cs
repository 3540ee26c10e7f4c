using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.PolicyTesting;

/// <summary>
/// Runs policy unit test files (the <c>watchdog test-rules</c> verb), like <c>promtool test rules</c>:
/// feeds each test's sample series to the policy, one evaluation per interval from 0s, and compares the
/// decision in force at each expected time.
/// </summary>
internal static class PolicyTestRunner
{
    // Any fixed instant will do: the rules only ever look at differences between times.
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs every file, writes failures and a final <c>N passed, M failed</c> line to <paramref name="output"/>.</summary>
    /// <returns>0 when every test passed, 1 otherwise (an unreadable or invalid file counts as a failed test).</returns>
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        var passed = 0;
        var failed = 0;
        foreach (var file in files)
        {
            var (testFile, errors) = PolicyTestFileReader.Read(file);
            var policy = testFile is null ? null : PolicyFileParser.ParseFile(testFile.PolicyPath);
            if (testFile is null || policy!.Policy is null)
            {
                output.WriteLine($"FAIL {file}: cannot run");
                foreach (var error in errors.Concat(policy?.Errors ?? []))
                {
                    output.WriteLine($"  {error}");
                }

                failed++;
                continue;
            }

            foreach (var test in testFile.Tests)
            {
                var failures = RunTest(policy.Policy, testFile, test);
                if (failures.Count == 0)
                {
                    passed++;
                    continue;
                }

                failed++;
                output.WriteLine($"FAIL {file}:{test.Line} {test.Name}");
                foreach (var failure in failures)
                {
                    output.WriteLine($"  {failure}");
                }
            }
        }

        output.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Runs one test; returns a description of every expectation that was not met.</summary>
    public static IReadOnlyList<string> RunTest(CompiledPolicy policy, PolicyTestFile file, PolicyTestCase test)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(test);
        var failures = new List<string>();
        foreach (var signal in test.Signals.Keys.Where(s => policy.IndexOf(s) < 0))
        {
            var hint = Suggestions.Closest(signal, policy.Signals) is { } near ? $" (did you mean '{near}'?)" : "";
            failures.Add($"signal '{signal}' is not read by policy '{policy.Name}'{hint}");
        }

        if (failures.Count > 0)
        {
            return failures;
        }

        var lastSample = test.Signals.Values.Select(s => s.Count - 1).DefaultIfEmpty(0).Max();
        var lastTime = test.Expectations.Select(e => e.At).Concat(test.ActionsAt).DefaultIfEmpty(TimeSpan.Zero).Max();
        var steps = Math.Max(lastSample, (int)(lastTime.Ticks / file.Interval.Ticks));
        var expectations = test.Expectations.OrderBy(e => e.At).ToList();
        var actions = new Queue<TimeSpan>(test.ActionsAt.Order());
        var state = policy.CreateState();
        var frame = policy.CreateFrame();
        var next = 0;
        for (var step = 0; step <= steps; step++)
        {
            var time = TimeSpan.FromTicks(file.Interval.Ticks * step);
            while (actions.Count > 0 && actions.Peek() <= time)
            {
                state.RecordAction(Epoch + actions.Dequeue());
            }

            foreach (var (signal, series) in test.Signals)
            {
                frame[policy.IndexOf(signal)] = step < series.Count ? series[step] : SignalValue.NoData;
            }

            var decision = policy.Evaluate(frame, Epoch + time, state);

            // The decision in force at a time is the one made at the last evaluation at or before it.
            for (; next < expectations.Count && expectations[next].At < time + file.Interval; next++)
            {
                if (Mismatch(expectations[next], decision) is { } mismatch)
                {
                    var why = policy.Explain(state);
                    failures.Add($"at {DurationText.Format(expectations[next].At)} (line {expectations[next].Line}): {mismatch}");
                    failures.Add($"  why: {why.Summary}");
                    failures.Add($"  signals: {string.Join(", ", why.Signals.Select(FormatReading))}");
                }
            }
        }

        return failures;
    }

    private static string? Mismatch(PolicyExpectation expected, Decision got)
    {
        var ok = expected.Action == got.Action
            && (expected.Authority is null || expected.Authority == got.Authority)
            && (expected.Rule is null || expected.Rule == got.RuleId)
            && (expected.Inconclusive is null || expected.Inconclusive == got.IsInconclusive);
        return ok ? null : $"expected {Describe(expected)}, got {Describe(got)}";
    }

    private static string Describe(PolicyExpectation e)
    {
        var parts = new List<string> { e.Action.ToName() };
        if (e.Authority is { } authority)
        {
            parts.Add($"authority {authority.ToName()}");
        }

        if (e.Rule is not null)
        {
            parts.Add($"rule {e.Rule}");
        }

        if (e.Inconclusive is { } inconclusive)
        {
            parts.Add(inconclusive ? "inconclusive" : "conclusive");
        }

        return string.Join(", ", parts);
    }

    private static string Describe(Decision d) =>
        d.IsInconclusive ? "none, inconclusive"
        : d.Action == DecisionAction.None ? $"none{(d.RuleId is null ? "" : $", rule {d.RuleId}")}"
        : $"{d.Action.ToName()}, authority {d.Authority.ToName()}, rule {d.RuleId}";

    private static string FormatReading(SignalReading r) =>
        r.State switch
        {
            SignalState.Number => $"{r.Signal}={SignalValue.FormatNumber(r.Value!.Value)}",
            SignalState.Error => $"{r.Signal}=error",
            _ => $"{r.Signal}=no data",
        };
}
