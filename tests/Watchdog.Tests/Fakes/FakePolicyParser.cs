using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Tests.Fakes;

/// <summary>
/// Stands in for the policy parser: a file named <c>x.yaml</c> is the policy registered under that file name,
/// so config tests do not depend on the policy syntax. Records what it was asked to parse.
/// </summary>
internal sealed class FakePolicyParser
{
    private readonly Dictionary<string, PolicyParseResult> _byFileName = new(StringComparer.Ordinal);

    public List<(string FullPath, string ShownPath)> Calls { get; } = [];

    /// <summary>A matrix policy with one row per signal, so <see cref="CompiledPolicy.Signals"/> is exactly <paramref name="signals"/>.</summary>
    public FakePolicyParser Add(string fileName, string policyName, params string[] signals)
    {
        var rows = signals.Select((signal, i) => new MatrixRow(
            new ComparisonCondition(signal, ComparisonOperator.GreaterThan, 1),
            new Outcome($"row-{i}", DecisionAction.Rollback, Authority.OnCall, null, TimeSpan.Zero)));
        var definition = new PolicyDefinition(policyName, null, new Dictionary<string, ConditionDefinition>(), [.. rows], null);
        _byFileName[fileName] = new PolicyParseResult(PolicyCompiler.Compile(definition), []);
        return this;
    }

    public FakePolicyParser AddBroken(string fileName, params ConfigError[] errors)
    {
        _byFileName[fileName] = new PolicyParseResult(null, errors);
        return this;
    }

    /// <summary>A file with errors that still names its policy <paramref name="policyName"/>.</summary>
    public FakePolicyParser AddBroken(string fileName, string policyName, params ConfigError[] errors)
    {
        _byFileName[fileName] = new PolicyParseResult(null, errors, policyName);
        return this;
    }

    public PolicyParseResult Parse(string fullPath, string shownPath)
    {
        Calls.Add((fullPath, shownPath));
        return _byFileName.TryGetValue(Path.GetFileName(fullPath), out var result)
            ? result
            : throw new InvalidOperationException($"The test registered no policy for {fullPath}.");
    }
}
