namespace Watchdog.Plugins;

/// <summary>
/// Marks an action plug-in whose steps change a feature flag through one of the <c>flags:</c> providers, named by the
/// step's optional <c>provider</c> parameter; configuration checks that name against the providers configured.
/// </summary>
internal interface IFlagStep;
