namespace Watchdog.Configuration;

/// <summary>A query template filled for one target: the query, or the variable the target lacks.</summary>
public readonly record struct RenderedQuery(string? Query, string? MissingVariable);
