using System.Text;
using Watchdog.Configuration;

namespace Watchdog.Incidents.Reports;

/// <summary>
/// Writes an incident's report as <c>incident-&lt;id&gt;.md</c> and <c>.json</c> into the reports directory,
/// replacing earlier versions. Does nothing when no directory is configured. I/O failures are thrown
/// (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>): the caller decides whether a
/// missing report file is worth more than a log line.
/// </summary>
/// <param name="directory">A full path, or null to write nothing.</param>
internal sealed class IncidentReportWriter(IncidentReportBuilder builder, string? directory)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public string? Directory => directory;

    /// <summary>Resolves <see cref="ReportsOptions.Directory"/> against the folder of the configuration file.</summary>
    public static string? ResolveDirectory(WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Reports.Directory))
        {
            return null;
        }

        var configFolder = Path.GetDirectoryName(options.ConfigPath);
        var baseFolder = string.IsNullOrEmpty(configFolder) ? System.IO.Directory.GetCurrentDirectory() : configFolder;
        return Path.GetFullPath(options.Reports.Directory, baseFolder);
    }

    /// <returns>The files written; null when no directory is configured or the incident is unknown.</returns>
    public async Task<IncidentReportFiles?> WriteAsync(long incidentId, CancellationToken cancellationToken)
    {
        if (directory is null)
        {
            return null;
        }

        var report = await builder.BuildAsync(incidentId, cancellationToken);
        return report is null ? null : await WriteAsync(report, cancellationToken);
    }

    /// <returns>The files written; null when no directory is configured.</returns>
    public async Task<IncidentReportFiles?> WriteAsync(IncidentReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (directory is null)
        {
            return null;
        }

        System.IO.Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"incident-{report.Incident.Id}");
        var files = new IncidentReportFiles(stem + ".md", stem + ".json");
        await WriteAtomicallyAsync(files.MarkdownPath, IncidentReportMarkdown.Render(report), cancellationToken);
        await WriteAtomicallyAsync(files.JsonPath, IncidentReportJson.Serialize(report), cancellationToken);
        return files;
    }

    // A reader (a person, a log shipper) or a crash must never leave half a report behind: write a temporary
    // file beside the target, flush it to disk, then rename it over the target, which replaces it in one step.
    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Utf8NoBom.GetBytes(content), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
