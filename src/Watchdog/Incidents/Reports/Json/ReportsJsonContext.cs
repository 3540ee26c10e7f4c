using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Incidents.Reports.Json;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IncidentReportDocument))]
[JsonSerializable(typeof(IReadOnlyList<IncidentDocument>))]
[JsonSerializable(typeof(RollbackStatisticsDocument))]
[JsonSerializable(typeof(ApiErrorDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class ReportsJsonContext : JsonSerializerContext;
