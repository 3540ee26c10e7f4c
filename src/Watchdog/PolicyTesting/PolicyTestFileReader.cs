using Watchdog.Configuration;
using Watchdog.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Watchdog.PolicyTesting;

/// <summary>Reads a policy test file, collecting every error with its path and line.</summary>
internal static class PolicyTestFileReader
{
    private static readonly string[] TopKeys = ["policy", "interval", "tests"];
    private static readonly string[] TestKeys = ["name", "signals", "expect", "actions_at"];
    private static readonly string[] ExpectKeys = ["at", "action", "authority", "rule", "inconclusive"];

    public static (PolicyTestFile? File, IReadOnlyList<ConfigError> Errors) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<ConfigError>();
        YamlStream? stream;
        ConfigError? syntaxError;
        try
        {
            using var reader = File.OpenText(path);
            stream = YamlText.Load(reader, path, out syntaxError);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigError(path, null, "", $"cannot read test file: {ex.Message}")]);
        }

        if (stream is null)
        {
            return (null, [syntaxError!]);
        }

        YamlNode root = stream.Documents.Count == 1 ? stream.Documents[0].RootNode : new YamlScalarNode();

        if (root is not YamlMappingNode top)
        {
            return (null, [new ConfigError(path, null, "", "a test file is a mapping with 'policy', 'interval' and 'tests'")]);
        }

        void Error(string at, YamlNode? node, string message) => errors.Add(new ConfigError(path, node?.Line(), at, message));
        CheckKeys(top, "", TopKeys, Error);

        var policyText = top.Child("policy").Scalar();
        if (string.IsNullOrWhiteSpace(policyText))
        {
            Error("policy", top, "required: the policy file under test, relative to this file or absolute");
        }

        var interval = TimeSpan.Zero;
        var intervalNode = top.Child("interval");
        if (intervalNode.IsNull() || !DurationText.TryParse(intervalNode.Scalar(), out interval) || interval <= TimeSpan.Zero)
        {
            Error("interval", intervalNode ?? top, $"required: the spacing of samples, a duration above zero such as 15s (got '{intervalNode.Scalar()}')");
        }

        var tests = new List<PolicyTestCase>();
        if (top.Child("tests") is not YamlSequenceNode testNodes || testNodes.Children.Count == 0)
        {
            Error("tests", top.Child("tests") ?? top, "required: a non-empty list of tests");
        }
        else
        {
            for (var i = 0; i < testNodes.Children.Count; i++)
            {
                if (ReadTest(testNodes.Children[i], $"tests[{i}]", Error) is { } test)
                {
                    tests.Add(test);
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var policyPath = Path.IsPathRooted(policyText!) ? policyText! : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, policyText!);
        return (new PolicyTestFile(path, policyPath, interval, tests), errors);
    }

    private static PolicyTestCase? ReadTest(YamlNode node, string path, Action<string, YamlNode?, string> error)
    {
        if (node is not YamlMappingNode test)
        {
            error(path, node, "a test is a mapping with 'name', 'signals' and 'expect'");
            return null;
        }

        CheckKeys(test, path, TestKeys, error);
        var name = test.Child("name").Scalar();
        if (string.IsNullOrWhiteSpace(name))
        {
            error($"{path}.name", test, "required: what the test shows, in words");
        }

        var signals = new Dictionary<string, IReadOnlyList<SignalValue>>(StringComparer.Ordinal);
        if (test.Child("signals") is YamlMappingNode signalNodes)
        {
            foreach (var (key, value) in signalNodes.Children)
            {
                var signal = key.Scalar() ?? "";
                var series = SampleSeries.TryParse(value.Scalar() ?? "", out var seriesError);
                if (series is null)
                {
                    error($"{path}.signals.{signal}", value, seriesError!);
                }
                else
                {
                    signals[signal] = series;
                }
            }
        }
        else if (!test.Child("signals").IsNull())
        {
            error($"{path}.signals", test.Child("signals"), "must map signal names to sample series like \"0.01 0.12x4\"");
        }

        var expectations = new List<PolicyExpectation>();
        if (test.Child("expect") is not YamlSequenceNode expectNodes || expectNodes.Children.Count == 0)
        {
            error($"{path}.expect", test.Child("expect") ?? test, "required: a non-empty list of {at, action} expectations");
        }
        else
        {
            for (var i = 0; i < expectNodes.Children.Count; i++)
            {
                if (ReadExpectation(expectNodes.Children[i], $"{path}.expect[{i}]", error) is { } expectation)
                {
                    expectations.Add(expectation);
                }
            }
        }

        var actionsAt = new List<TimeSpan>();
        if (test.Child("actions_at") is YamlSequenceNode actionNodes)
        {
            for (var i = 0; i < actionNodes.Children.Count; i++)
            {
                if (DurationText.TryParse(actionNodes.Children[i].Scalar(), out var at))
                {
                    actionsAt.Add(at);
                }
                else
                {
                    error($"{path}.actions_at[{i}]", actionNodes.Children[i], $"'{actionNodes.Children[i].Scalar()}' is not a duration");
                }
            }
        }

        return name is null ? null : new PolicyTestCase(name, test.Line(), signals, expectations, actionsAt);
    }

    private static PolicyExpectation? ReadExpectation(YamlNode node, string path, Action<string, YamlNode?, string> error)
    {
        if (node is not YamlMappingNode expect)
        {
            error(path, node, "an expectation is a mapping like {at: 60s, action: rollback, authority: automatic}");
            return null;
        }

        CheckKeys(expect, path, ExpectKeys, error);
        var ok = true;
        if (!DurationText.TryParse(expect.Child("at").Scalar(), out var at))
        {
            error($"{path}.at", expect.Child("at") ?? expect, $"required: the time of the decision, a duration from 0s (got '{expect.Child("at").Scalar()}')");
            ok = false;
        }

        var actionText = expect.Child("action").Scalar();
        if (!DecisionActions.TryParse(actionText ?? "", out var action))
        {
            error($"{path}.action", expect.Child("action") ?? expect, $"required: one of {string.Join(", ", DecisionActions.AllNames)} (got '{actionText}')");
            ok = false;
        }

        Authority? authority = null;
        var authorityText = expect.Child("authority").Scalar();
        if (authorityText is not null)
        {
            if (Authorities.TryParse(authorityText, out var parsed))
            {
                authority = parsed;
            }
            else
            {
                error($"{path}.authority", expect.Child("authority"), $"'{authorityText}' is not one of {string.Join(", ", Authorities.AllNames)}");
                ok = false;
            }
        }

        bool? inconclusive = null;
        var inconclusiveText = expect.Child("inconclusive").Scalar();
        if (inconclusiveText is not null)
        {
            if (bool.TryParse(inconclusiveText, out var parsed))
            {
                inconclusive = parsed;
            }
            else
            {
                error($"{path}.inconclusive", expect.Child("inconclusive"), $"'{inconclusiveText}' is not true or false");
                ok = false;
            }
        }

        return ok ? new PolicyExpectation(at, action, authority, expect.Child("rule").Scalar(), inconclusive, expect.Line()) : null;
    }

    private static void CheckKeys(YamlMappingNode mapping, string path, string[] allowed, Action<string, YamlNode?, string> error)
    {
        foreach (var (key, at, message) in mapping.UnknownKeys(path, allowed))
        {
            error(at, key, message);
        }
    }
}
