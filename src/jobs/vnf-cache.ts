import type { VnfRecord } from '../vnfs/vnf-record';

/** Default bound of a {@link VnfCache}: a record whose attributes are 2.8 kB of JSON takes about 4.6 kB, so at most about 9 MB. */
const DEFAULT_CACHED_VNFS = 2_000;

/**
 * The last committed record of each VNF the store wrote or read, so that reading a VNF (its job's steps, ESC's
 * events, each update's merge) does not query SQLite and parse its attributes again. SQLite stays the only record:
 * the store puts a record here only once the write of it has been committed (or it was read outside any open
 * transaction). Records are deeply frozen: callers share them. Terminated VNFs are dropped, and at most
 * `maxRecords` are held (the least recently stored go first), so memory follows the VNFs in use, not those ever seen.
 */
export class VnfCache {
  private readonly records = new Map<string, VnfRecord>();

  constructor(private readonly maxRecords: number = DEFAULT_CACHED_VNFS) {}

  get(vnfInstanceId: string): VnfRecord | undefined {
    return this.records.get(vnfInstanceId);
  }

  /** Holds a committed record (frozen here) in place of the one held; a terminated VNF leaves the cache. */
  set(vnf: VnfRecord): void {
    this.records.delete(vnf.vnfInstanceId);
    if (vnf.status === 'TERMINATED' || this.maxRecords <= 0) return;
    this.records.set(vnf.vnfInstanceId, deepFreeze(vnf));
    if (this.records.size > this.maxRecords) this.records.delete(this.records.keys().next().value!);
  }

  delete(vnfInstanceId: string): void {
    this.records.delete(vnfInstanceId);
  }

  clear(): void {
    this.records.clear();
  }

  get size(): number {
    return this.records.size;
  }
}

/** Freezes `value` and every object or array it holds; returns it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
