/** Checks of the Prometheus text exposition format (version 0.0.4), line by line. */

const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.eE+-]+|[Nn][Aa][Nn]|[+-][Ii]nf)( -?\d+)?$/;
// Prometheus parses values with Go's ParseFloat, which accepts NaN in any case (prom-client writes "Nan").
const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** The problems found in an exposition: malformed lines, unknown types, samples without a TYPE line. */
export function exposureProblems(text: string): string[] {
  const problems: string[] = [];
  const typed = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = COMMENT.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE' && !TYPES.has(comment[3])) problems.push(`bad type: ${line}`);
      if (comment[1] === 'TYPE') typed.set(comment[2], comment[3]);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) {
      problems.push(`not a sample: ${line}`);
      continue;
    }
    const family = sample[1].replace(/_(bucket|sum|count|total|created)$/, '');
    if (!typed.has(sample[1]) && !typed.has(family)) problems.push(`sample without TYPE: ${line}`);
  }
  return problems;
}

/** The value of one series, written exactly as the exposition writes it (`name{a="1"}`), or undefined. */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Sum of every sample of a metric name whose labels include all of `labels`. */
export function sumOf(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m || m[1] !== name) continue;
    const labelText = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) total += Number(m[4]);
  }
  return total;
}
