using Watchdog.Configuration;
using Watchdog.Incidents.Reports;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class IncidentReportWriterTests
{
    [Fact]
    public async Task WriteAsync_DirectoryMissing_CreatesItAndWritesMarkdownAndJson()
    {
        using var temp = new TempDirectory();
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedClosedRollbackAsync(store);
        var builder = new IncidentReportBuilder(store);
        var directory = Path.Combine(temp.Path, "reports", "2025");
        var writer = new IncidentReportWriter(builder, directory);

        var files = (await writer.WriteAsync(id, default))!;

        var report = (await builder.BuildAsync(id, default))!;
        files.ShouldBe(new IncidentReportFiles(Path.Combine(directory, "incident-1.md"), Path.Combine(directory, "incident-1.json")));
        (await File.ReadAllTextAsync(files.MarkdownPath)).ShouldBe(IncidentReportMarkdown.Render(report));
        (await File.ReadAllTextAsync(files.JsonPath)).ShouldBe(IncidentReportJson.Serialize(report));
        Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["incident-1.json", "incident-1.md"]);
    }

    [Fact]
    public async Task WriteAsync_EarlierLongerReport_IsReplacedWholeWithNoTemporaryFileLeft()
    {
        using var temp = new TempDirectory();
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedClosedRollbackAsync(store);
        var oldMarkdown = temp.Write("incident-1.md", new string('x', 100_000));
        temp.Write("incident-1.json", new string('y', 100_000));
        var writer = new IncidentReportWriter(new IncidentReportBuilder(store), temp.Path);

        await writer.WriteAsync(id, default);

        var markdown = await File.ReadAllTextAsync(oldMarkdown);
        markdown.ShouldStartWith("# Rollback Incident Report\n");
        markdown.ShouldNotContain("xxx");
        (await File.ReadAllBytesAsync(oldMarkdown))[..3].ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["incident-1.json", "incident-1.md"]);
    }

    [Fact]
    public async Task WriteAsync_NoDirectoryConfigured_WritesNothing()
    {
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedClosedRollbackAsync(store);

        (await new IncidentReportWriter(new IncidentReportBuilder(store), null).WriteAsync(id, default)).ShouldBeNull();
    }

    [Fact]
    public async Task WriteAsync_UnknownIncident_WritesNothing()
    {
        using var temp = new TempDirectory();
        await using var store = new InMemoryWatchdogStore();

        (await new IncidentReportWriter(new IncidentReportBuilder(store), temp.Path).WriteAsync(7, default)).ShouldBeNull();
        Directory.GetFiles(temp.Path).ShouldBeEmpty();
    }

    [Fact]
    public void ResolveDirectory_RelativePath_IsUnderTheConfigFilesFolder()
    {
        using var temp = new TempDirectory();
        var options = new WatchdogOptions { ConfigPath = Path.Combine(temp.Path, "watchdog.yaml"), Reports = new ReportsOptions { Directory = "reports" } };

        IncidentReportWriter.ResolveDirectory(options).ShouldBe(Path.Combine(temp.Path, "reports"));
        IncidentReportWriter.ResolveDirectory(options with { Reports = new ReportsOptions { Directory = "/var/lib/watchdog/reports" } })
            .ShouldBe("/var/lib/watchdog/reports");
        IncidentReportWriter.ResolveDirectory(options with { Reports = new ReportsOptions() }).ShouldBeNull();
    }
}
