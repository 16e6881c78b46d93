/** Where the CLI writes (process streams in production, buffers in tests). */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (live progress bars instead of lines). */
  isTTY?: boolean;
  columns?: number;
}

/** The process's own streams. */
export const processOutput: CliOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  isTTY: process.stdout.isTTY,
  columns: process.stdout.columns,
};

/** Rows as aligned columns under a header; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
