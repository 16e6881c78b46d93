/** Most groups (VMs, VDUs…) one rule keeps a window for; past it, expired windows and then the oldest are dropped. */
const MAX_GROUPS = 10_000;

interface Window {
  startMs: number;
  count: number;
  fired: boolean;
}

/**
 * Counts the matches of one rule per group in tumbling windows: a window opens at a group's first match and lasts
 * `windowMs`; the match that brings its count to `count` fires, and later matches of the same window do not. The
 * next match after the window ends opens a new one. With `windowMs` 0 every match fires.
 */
export class WindowTrigger {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
  ) {}

  /** Records one match of `group` at `nowMs`; true when this match fires. */
  match(group: string, nowMs: number): boolean {
    if (this.windowMs <= 0) return true;
    let w = this.windows.get(group);
    if (!w || nowMs - w.startMs >= this.windowMs) {
      this.windows.delete(group);
      this.makeRoom(nowMs);
      w = { startMs: nowMs, count: 0, fired: false };
      this.windows.set(group, w);
    }
    w.count += 1;
    if (w.fired || w.count < this.count) return false;
    w.fired = true;
    return true;
  }

  /** Groups with an open window (for tests). */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(nowMs: number): void {
    if (this.windows.size < MAX_GROUPS) return;
    for (const [k, w] of this.windows) if (nowMs - w.startMs >= this.windowMs) this.windows.delete(k);
    // Insertion order: the first key is the oldest window.
    while (this.windows.size >= MAX_GROUPS) this.windows.delete(this.windows.keys().next().value as string);
  }
}
