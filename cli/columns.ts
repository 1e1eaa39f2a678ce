/**
 * Plain-text tables: `jetstream list` and the benchmarks' reports. Each column is as wide as its
 * widest cell, two spaces apart; no line ends in spaces.
 */
export interface ColumnOptions {
  /** Numbers read best right-aligned; left by default. */
  align?: (column: number) => "left" | "right";
  /** A line of dashes under the first row, the header. */
  underlineHeader?: boolean;
}

/** The rows (the header first) as aligned lines. */
export function alignColumns(rows: string[][], options: ColumnOptions = {}): string[] {
  const align = options.align ?? (() => "left");
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        align(column) === "right" ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd();
  const lines = rows.map(line);
  if (options.underlineHeader === true && lines.length > 0) {
    lines.splice(1, 0, line(widths.map((width) => "-".repeat(width))));
  }
  return lines;
}
