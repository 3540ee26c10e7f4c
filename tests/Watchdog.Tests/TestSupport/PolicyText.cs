using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Tests.TestSupport;

/// <summary>Builds policies from YAML text, and drives them one evaluation at a time.</summary>
internal static class PolicyText
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CompiledPolicy Compile(string yaml)
    {
        var result = PolicyFileParser.Parse(yaml, "test.yaml");
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.Policy!;
    }

    /// <summary>Evaluates with the named signals set (others no data) at <paramref name="seconds"/> after T0.</summary>
    public static Decision At(this CompiledPolicy policy, PolicyState state, double seconds, params (string Signal, SignalValue Value)[] values)
    {
        var frame = policy.CreateFrame();
        foreach (var (signal, value) in values)
        {
            var index = policy.IndexOf(signal);
            index.ShouldBeGreaterThanOrEqualTo(0, $"policy does not read {signal}");
            frame[index] = value;
        }

        return policy.Evaluate(frame, T0.AddSeconds(seconds), state);
    }

    public static (string, SignalValue) V(string signal, double value) => (signal, SignalValue.Of(value));

    public static (string, SignalValue) NoData(string signal) => (signal, SignalValue.NoData);

    public static (string, SignalValue) Failed(string signal) => (signal, SignalValue.Error("connection refused"));
}
