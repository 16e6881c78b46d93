/** Column alignment: numbers read best right-aligned. */
export type Align = 'left' | 'right';

/** One column of a text table. */
export interface Column {
  header: string;
  align?: Align;
}

/**
 * Renders rows as a plain-text table with a header and a separator line; every column is as wide as its
 * widest cell. Missing cells are blank; cells beyond the columns are dropped.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i], c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const separator = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), separator, ...rows.map(line)].join('\n');
}

function pad(text: string, width: number, align: Align): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/**
 * Formats a figure for a table: thousands separators at ≥ 1000, else 3 significant digits
 * (0.0123, 1.23, 12.3, 456); "-" for NaN or infinity.
 */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  return String(Number(value.toPrecision(3)));
}
