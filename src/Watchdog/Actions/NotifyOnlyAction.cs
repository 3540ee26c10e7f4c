using Watchdog.Records;

using Watchdog.Plugins;

namespace Watchdog.Actions;

/// <summary>
/// Changes nothing; tells people. For actions a person must carry out (investigate, a database restore
/// without automation): the message goes to every notification channel, once per run and step.
/// </summary>
internal sealed class NotifyOnlyAction(IWatchdogStore store, IRunNotices notices) : IRollbackAction, IPlugin
{
    public static string PluginName => "notify-only";

    public string Name => PluginName;

    public bool IsIdempotent => true;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    // Nothing to check: the one parameter, message, is optional free text.
    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) => [];

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var incident = context.Incident;
        var now = context.Time.GetUtcNow();
        await using var tx = await store.BeginAsync(cancellationToken);
        var queued = await notices.ActionRequiredAsync(tx, incident, context.Run, context.Step, context.Parameters.GetValueOrDefault("message"), now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ActionResult.Success($"queued for {queued} notification channel(s)");
    }
}
