namespace Watchdog.Sandbox.Demo;

/// <summary>A flag as the demo's flag server holds it.</summary>
internal sealed record FlagSetting(bool Enabled, int RolloutPercentage)
{
    public override string ToString() => Enabled ? $"on at {RolloutPercentage} %" : $"off (rollout {RolloutPercentage} %)";
}
