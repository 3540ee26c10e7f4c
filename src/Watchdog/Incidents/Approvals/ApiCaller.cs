using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

/// <summary>Who called the API, as named in the configuration: never the token itself.</summary>
/// <param name="Name">The token's name; recorded as who decided.</param>
/// <param name="Role">The highest authority this caller may approve for.</param>
internal sealed record ApiCaller(string Name, Authority Role);
