using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

using Watchdog.Plugins;

namespace Watchdog.Actions;

/// <summary>
/// Changes nothing; tells people. For actions a person must carry out (investigate, a database restore
/// without automation): the message goes to every notification channel, once per run and step.
/// </summary>
public sealed class NotifyOnlyAction(IWatchdogStore store, INotificationOutbox outbox) : IRollbackAction, IPlugin
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
        var message = new NotificationMessage(
            "action-required",
            $"{context.Run.Action.ToName().ToUpperInvariant().Replace('-', ' ')} REQUIRED",
            [
                new("Environment", incident.Environment ?? "unknown"),
                new("Target", incident.Target),
                new("Rule", context.Run.Rule),
                new("Reason", incident.TriggerSummary),
                new("Incident", incident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            context.Parameters.GetValueOrDefault("message"));
        await using var tx = await store.BeginAsync(cancellationToken);
        var queued = await outbox.EnqueueAsync(tx, incident.Id, $"incident/{incident.Id}/run/{context.Run.Id}/step/{context.Step.Index}/notify", message, now, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ActionResult.Success($"queued for {queued} notification channel(s)");
    }
}
