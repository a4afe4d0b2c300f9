/**
 * Left-aligned columns separated by two spaces, header in capitals; trailing spaces trimmed so
 * output diffs and greps cleanly. Cells are single-line: newlines become spaces.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers.map((header) => header.toUpperCase()), ...rows.map((row) => row.map(singleLine))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function singleLine(cell: string): string {
  return cell.replace(/\s*\n\s*/g, ' ');
}
