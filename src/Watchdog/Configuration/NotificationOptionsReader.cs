using Microsoft.Extensions.Configuration;
using Watchdog.Plugins;
using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>
/// Who is told: the <c>notifications</c> channels (their kinds from the plug-in registry) and the
/// <c>approvals.escalation</c> levels, read together because a channel's <c>only_for</c> names what the levels notify.
/// </summary>
internal sealed class NotificationOptionsReader(ConfigReader reader, PluginRegistry plugins)
{
    private static readonly string[] NotificationKeys = ["name", "kind", "url", "only_for"];
    private static readonly string[] ApprovalsKeys = ["escalation"];
    private static readonly string[] EscalationKeys = ["after", "notify"];

    private readonly PluginKindReader _kinds = new(reader, plugins);

    public ApprovalOptions ReadApprovals(IConfiguration root)
    {
        var approvals = reader.Mapping(root, "approvals", ApprovalsKeys);
        if (approvals is null || !approvals.GetSection("escalation").GetChildren().Any())
        {
            return new ApprovalOptions();
        }

        var levels = new List<EscalationLevelOptions>();
        foreach (var item in reader.Items(approvals, "escalation"))
        {
            reader.CheckKeys(item, EscalationKeys);
            var after = reader.Duration(item, "after", TimeSpan.Zero, allowZero: true);
            var who = ReadNames(item, "notify");
            if (who.Count == 0)
            {
                reader.Error(ConfigReader.KeyOf(item, "notify"), "required: who is notified at this level (a name or a list)");
            }

            if (levels.Count > 0 && after <= levels[^1].After)
            {
                reader.Error(ConfigReader.KeyOf(item, "after"), $"levels must come in rising order of 'after' ({DurationText.Format(after)} is not after {DurationText.Format(levels[^1].After)})");
            }

            levels.Add(new EscalationLevelOptions(after, who));
        }

        return new ApprovalOptions { Escalation = levels };
    }

    public List<NotificationOptions> ReadNotifications(IConfiguration root, ApprovalOptions approvals)
    {
        var notified = approvals.Escalation.SelectMany(level => level.Notify).ToHashSet(StringComparer.Ordinal);
        var notifications = new List<NotificationOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in reader.Items(root, "notifications"))
        {
            reader.CheckKeys(item, NotificationKeys);
            var name = reader.Text(item, "name", required: true) ?? "";
            if (name.Length > 0 && !names.TryAdd(name, item.Path))
            {
                reader.Error(ConfigReader.KeyOf(item, "name"), $"duplicate notification name '{name}' (also at {ConfigOrigins.DisplayPath(names[name])})");
            }

            var kind = _kinds.Read(item, "kind", PluginKind.NotificationChannel, fallback: null, out var channel);
            _kinds.Validate(item, channel, item.GetSection("url").Value is { } url ? new Dictionary<string, string> { ["url"] = url } : new Dictionary<string, string>(), NotificationKeys);
            notifications.Add(new NotificationOptions
            {
                Name = name,
                Kind = kind,
                Url = reader.HttpUrl(item, "url", required: true) ?? new NotificationOptions().Url,
                OnlyFor = ReadNames(item, "only_for"),
            });

            // A channel kept for a name no escalation level notifies would never receive anything.
            foreach (var unreached in notifications[^1].OnlyFor.Where(n => !notified.Contains(n)))
            {
                reader.Warning(ConfigReader.KeyOf(item, "only_for"), $"no approvals.escalation level notifies '{unreached}': this channel receives nothing for it (levels notify: {string.Join(", ", notified.Order(StringComparer.Ordinal))})");
            }
        }

        return notifications;
    }

    // A name or a list of names, as escalation levels' notify are written.
    private List<string> ReadNames(IConfigurationSection parent, string key)
    {
        var section = parent.GetSection(key);
        return section.Value is { } single ? [single] : [.. reader.Items(parent, key).Select(n => reader.Scalar(n, required: true)).OfType<string>()];
    }
}
