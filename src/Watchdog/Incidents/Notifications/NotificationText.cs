namespace Watchdog.Incidents.Notifications;

/// <summary>Renders a message as the runbook prints it: the title, a ━ underline, one <c>Field: value</c> line per field, then the text.</summary>
internal static class NotificationText
{
    // The runbook's underlines are drawn by hand (18 ━ under a 20-letter title); matching the title keeps every message tidy.
    private const char Underline = '━';

    public static string Render(NotificationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lines = new List<string>(message.Fields.Count + 3) { message.Title, new(Underline, message.Title.Length) };
        lines.AddRange(message.Fields.Select(field => $"{field.Key}: {field.Value}"));
        if (!string.IsNullOrEmpty(message.Text))
        {
            lines.Add(message.Text);
        }

        return string.Join('\n', lines);
    }
}
