using System.Text;

namespace Watchdog.Hosting.OnCall;

/// <summary>
/// Plain text columns aligned with spaces, headers in capitals like kubectl's. Cells are outside text (target names,
/// alert summaries), so control characters are escaped before they reach the terminal.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string?[] cells) =>
        _rows.Add([.. headers.Select((_, i) => i < cells.Length && cells[i] is { Length: > 0 } cell ? LogTextEscaping.Escape(cell) : "-")]);

    public override string ToString()
    {
        var widths = headers.Select((header, i) => _rows.Select(r => r[i].Length).Append(header.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in _rows.Prepend(headers))
        {
            var line = string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])));
            text.Append(line.TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
