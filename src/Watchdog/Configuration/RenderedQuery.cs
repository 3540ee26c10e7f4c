namespace Watchdog.Configuration;

/// <summary>A query template filled for one target: the query, or the variable the target lacks.</summary>
internal readonly record struct RenderedQuery(string? Query, string? MissingVariable);
