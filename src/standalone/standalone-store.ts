import { applyMigrations, type Db } from '../store/database';
import { settled } from '../store/settled';
import type { GrantLedger, GrantRecord } from './local-grants';
import type { NotificationLog } from './local-nslcm';

/** Schema of standalone mode (component `standalone`). Append new entries; never edit a released one. */
export const STANDALONE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE standalone_notifications (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     vnfm_id TEXT NOT NULL,
     vnf_instance_id TEXT NOT NULL,
     job_id TEXT,
     status TEXT NOT NULL,
     operation TEXT NOT NULL,
     body TEXT NOT NULL,
     received_at TEXT NOT NULL)`,
  `CREATE INDEX standalone_notifications_vnf ON standalone_notifications (vnf_instance_id, id)`,
  `CREATE TABLE standalone_grants (
     job_id TEXT PRIMARY KEY,
     vnf_instance_id TEXT NOT NULL,
     vim_id TEXT NOT NULL,
     operation TEXT NOT NULL,
     answer TEXT NOT NULL,
     granted_at TEXT NOT NULL)`,
  `CREATE TABLE standalone_vm_usage (
     vnf_instance_id TEXT PRIMARY KEY,
     vim_id TEXT NOT NULL,
     vms INTEGER NOT NULL)`,
  `CREATE TABLE standalone_ves_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     source_name TEXT NOT NULL,
     event_id TEXT NOT NULL,
     domain TEXT NOT NULL,
     event_name TEXT NOT NULL,
     body TEXT NOT NULL,
     received_at TEXT NOT NULL)`,
  `CREATE INDEX standalone_ves_events_source ON standalone_ves_events (source_name, id)`,
];

/** One VES event as the local VES sink received it. */
export interface StoredVesEvent {
  id: number;
  sourceName: string;
  eventId: string;
  domain: string;
  eventName: string;
  receivedAt: string;
  event: unknown;
}

/** Where the local VES sink keeps what it accepted, and reads it back. */
export interface VesEventLog {
  /** Keeps valid events (each with a commonEventHeader), in the order given, in one write. */
  addVesEvents(events: readonly VesHeaderHolder[], at?: Date): Promise<void>;
  /** Events in arrival order, all or those of one sourceName. */
  listVesEvents(sourceName?: string): Promise<StoredVesEvent[]>;
}

/** An event whose header has been checked. */
export interface VesHeaderHolder {
  commonEventHeader: { sourceName: string; eventId: string; domain: string; eventName: string };
}

/** One Notify as NSLCM would have received it. */
export interface StoredNotification {
  id: number;
  vnfmId: string;
  vnfInstanceId: string;
  jobId: string | null;
  status: string;
  operation: string;
  receivedAt: string;
  body: unknown;
}

/** A grant decision kept per job, so that asking again for the same job gives the same answer. */
export interface StoredGrant {
  vimId: string;
  tenant: string;
}

interface NotificationRow {
  id: number;
  vnfmId: string;
  vnfInstanceId: string;
  jobId: string | null;
  status: string;
  operation: string;
  body: string;
  receivedAt: string;
}

const NOTIFICATION_COLS = `id, vnfm_id AS vnfmId, vnf_instance_id AS vnfInstanceId, job_id AS jobId, status, operation, body,
  received_at AS receivedAt`;

/**
 * Standalone mode's records in the driver's SQLite file: received Notify messages and the local grant ledger.
 * better-sqlite3 is synchronous: each method does its work when called and answers with an already settled Promise.
 */
export class StandaloneStore implements NotificationLog, GrantLedger, VesEventLog {
  constructor(private readonly db: Db) {
    applyMigrations(db, 'standalone', STANDALONE_MIGRATIONS);
  }

  /** Keeps one accepted Notify. */
  addNotification(n: Omit<StoredNotification, 'id' | 'receivedAt'>, at: Date = new Date()): Promise<number> {
    return settled(() => this.addNotificationNow(n, at));
  }

  private addNotificationNow(n: Omit<StoredNotification, 'id' | 'receivedAt'>, at: Date): number {
    const res = this.db
      .prepare(
        `INSERT INTO standalone_notifications (vnfm_id, vnf_instance_id, job_id, status, operation, body, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(n.vnfmId, n.vnfInstanceId, n.jobId, n.status, n.operation, JSON.stringify(n.body), at.toISOString());
    return Number(res.lastInsertRowid);
  }

  /** Notify messages in arrival order, all or those of one VNF instance. */
  listNotifications(vnfInstanceId?: string): Promise<StoredNotification[]> {
    return settled(() => this.listNotificationsNow(vnfInstanceId));
  }

  private listNotificationsNow(vnfInstanceId: string | undefined): StoredNotification[] {
    const rows = (
      vnfInstanceId === undefined
        ? this.db.prepare(`SELECT ${NOTIFICATION_COLS} FROM standalone_notifications ORDER BY id`).all()
        : this.db
            .prepare(`SELECT ${NOTIFICATION_COLS} FROM standalone_notifications WHERE vnf_instance_id = ? ORDER BY id`)
            .all(vnfInstanceId)
    ) as NotificationRow[];
    return rows.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown }));
  }

  addVesEvents(events: readonly VesHeaderHolder[], at: Date = new Date()): Promise<void> {
    return settled(() => {
      const insert = this.db.prepare(
        `INSERT INTO standalone_ves_events (source_name, event_id, domain, event_name, body, received_at) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      this.db.transaction(() => {
        for (const e of events) {
          const h = e.commonEventHeader;
          insert.run(h.sourceName, h.eventId, h.domain, h.eventName, JSON.stringify(e), at.toISOString());
        }
      })();
    });
  }

  listVesEvents(sourceName?: string): Promise<StoredVesEvent[]> {
    return settled(() => {
      const cols = `id, source_name AS sourceName, event_id AS eventId, domain, event_name AS eventName, body, received_at AS receivedAt`;
      const rows = (
        sourceName === undefined
          ? this.db.prepare(`SELECT ${cols} FROM standalone_ves_events ORDER BY id`).all()
          : this.db.prepare(`SELECT ${cols} FROM standalone_ves_events WHERE source_name = ? ORDER BY id`).all(sourceName)
      ) as (Omit<StoredVesEvent, 'event'> & { body: string })[];
      return rows.map(({ body, ...r }) => ({ ...r, event: JSON.parse(body) as unknown }));
    });
  }

  /** The decision already taken for `jobId`, if any. */
  findGrant(jobId: string): Promise<StoredGrant | undefined> {
    return settled(() => {
      const row = this.db.prepare('SELECT answer FROM standalone_grants WHERE job_id = ?').get(jobId) as { answer: string } | undefined;
      return row ? (JSON.parse(row.answer) as StoredGrant) : undefined;
    });
  }

  /** VMs granted now in `vimId` over all VNFs, and those of `vnfInstanceId`. */
  usage(vimId: string, vnfInstanceId: string): Promise<{ total: number; ofVnf: number }> {
    return settled(() => this.usageNow(vimId, vnfInstanceId));
  }

  private usageNow(vimId: string, vnfInstanceId: string): { total: number; ofVnf: number } {
    const total = this.db.prepare('SELECT COALESCE(SUM(vms), 0) AS n FROM standalone_vm_usage WHERE vim_id = ?').get(vimId) as {
      n: number;
    };
    const own = this.db
      .prepare('SELECT vms FROM standalone_vm_usage WHERE vnf_instance_id = ? AND vim_id = ?')
      .get(vnfInstanceId, vimId) as { vms: number } | undefined;
    return { total: total.n, ofVnf: own?.vms ?? 0 };
  }

  /** Records an accepted grant and the VNF's VM count after it, in one transaction. */
  recordGrant(g: GrantRecord): Promise<void> {
    return settled(() => this.recordGrantNow(g));
  }

  private recordGrantNow(g: GrantRecord): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR REPLACE INTO standalone_grants (job_id, vnf_instance_id, vim_id, operation, answer, granted_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(g.jobId, g.vnfInstanceId, g.vimId, g.operation, JSON.stringify(g.answer), new Date().toISOString());
      this.db
        .prepare('INSERT OR REPLACE INTO standalone_vm_usage (vnf_instance_id, vim_id, vms) VALUES (?, ?, ?)')
        .run(g.vnfInstanceId, g.vimId, g.vmsAfter);
    })();
  }
}
