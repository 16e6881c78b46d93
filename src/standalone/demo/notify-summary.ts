import type { StoredNotification } from '../standalone-store';

/** The affected lists a Notify carries and the short name each gets in a summary line. */
const LISTS = [
  ['affectedVnfc', 'VNFC'],
  ['affectedVl', 'VL'],
  ['affectedCp', 'CP'],
] as const;

/** Marks of the change types in a summary: `+` added, `-` removed, `~` modified, `t` temporary. */
const MARKS: Readonly<Record<string, string>> = { ADDED: '+', REMOVED: '-', MODIFIED: '~', TEMPORARY: 't' };

/** `VNFC 3 [+2 -1]`: how many entries a list has and how many of each change type (none: `VL 0`). */
function countsOf(name: string, list: unknown): string {
  const entries = Array.isArray(list) ? (list as Array<{ changeType?: unknown }>) : [];
  if (entries.length === 0) return `${name} 0`;
  const byType = new Map<string, number>();
  for (const e of entries) {
    const type = typeof e.changeType === 'string' ? e.changeType.toUpperCase() : '?';
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const parts = [...byType].map(([type, n]) => `${MARKS[type] ?? `${type} `}${n}`);
  return `${name} ${entries.length} [${parts.join(' ')}]`;
}

/**
 * One line per Notify: `#4 Scaleout RESULT  VNFC 1 [+1]  VL 0  CP 1 [+1]  job <id>`. The counts say how many
 * VNFCs, VLs and CPs the message reports and with which change type.
 */
export function notifySummaryLine(n: StoredNotification): string {
  const body = (n.body ?? {}) as Record<string, unknown>;
  const counts = LISTS.map(([key, name]) => countsOf(name, body[key])).join('  ');
  return `#${n.id} ${n.operation} ${n.status}  ${counts}  job ${n.jobId ?? '-'}`;
}
