/**
 * The PostgreSQL schema, per component, in order; released entries are never edited, a change is a new entry.
 * Ids and ISO-8601 times are TEXT in the "C" collation, so that they sort as on the SQLite side (listing cursors);
 * leases are on the database's clock (TIMESTAMPTZ, `now()`), the outbox's schedule in epoch ms as the SQLite side.
 */
export const POSTGRES_JOB_MIGRATIONS: readonly string[] = [
  `CREATE TABLE vnf_instances (
     vnf_instance_id TEXT COLLATE "C" PRIMARY KEY,
     vnfm_id TEXT COLLATE "C" NOT NULL,
     name TEXT NOT NULL,
     description TEXT,
     vnfd_id TEXT NOT NULL,
     vnf_package_id TEXT NOT NULL,
     esc_tenant TEXT,
     esc_deployment TEXT,
     vim_id TEXT,
     status TEXT NOT NULL,
     attributes TEXT NOT NULL DEFAULT '{}',
     created_at TEXT COLLATE "C" NOT NULL,
     updated_at TEXT NOT NULL);
   CREATE INDEX vnf_instances_deployment ON vnf_instances (esc_tenant, esc_deployment);
   CREATE INDEX vnf_instances_vnfm_created ON vnf_instances (vnfm_id, created_at, vnf_instance_id);
   CREATE TABLE jobs (
     job_id TEXT COLLATE "C" PRIMARY KEY,
     operation TEXT NOT NULL,
     vnf_instance_id TEXT COLLATE "C" NOT NULL,
     vnfm_id TEXT COLLATE "C" NOT NULL,
     request TEXT NOT NULL,
     request_id TEXT NOT NULL,
     status TEXT NOT NULL,
     progress INTEGER NOT NULL,
     status_description TEXT NOT NULL,
     error_code TEXT,
     response_id INTEGER NOT NULL,
     state TEXT,
     created_at TEXT COLLATE "C" NOT NULL,
     updated_at TEXT NOT NULL,
     owner TEXT,
     epoch INTEGER NOT NULL DEFAULT 0,
     lease_expires_at TIMESTAMPTZ);
   CREATE UNIQUE INDEX jobs_one_unfinished_per_vnf ON jobs (vnf_instance_id) WHERE status IN ('started', 'processing');
   CREATE INDEX jobs_unfinished ON jobs (created_at, job_id) WHERE status IN ('started', 'processing');
   CREATE INDEX jobs_owner ON jobs (owner) WHERE status IN ('started', 'processing');
   CREATE INDEX jobs_vnfm_created ON jobs (vnfm_id, created_at, job_id);
   CREATE TABLE job_history (
     job_id TEXT COLLATE "C" NOT NULL REFERENCES jobs (job_id),
     response_id INTEGER NOT NULL,
     status TEXT NOT NULL,
     progress INTEGER NOT NULL,
     status_description TEXT NOT NULL,
     error_code TEXT,
     at TEXT NOT NULL,
     PRIMARY KEY (job_id, response_id));`,
  // Who wrote each history entry: the replica and the epoch of the fence it wrote under (null when written unfenced),
  // so that the history itself shows whether a job was ever written by an owner that had lost it.
  `ALTER TABLE job_history ADD COLUMN written_by TEXT, ADD COLUMN written_epoch INTEGER;`,
];

export const POSTGRES_OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE notify_outbox (
     id BIGSERIAL PRIMARY KEY,
     vnfm_id TEXT NOT NULL,
     vnf_instance_id TEXT NOT NULL,
     job_id TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('START', 'RESULT')),
     operation TEXT NOT NULL,
     body TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT NOT NULL,
     last_error TEXT,
     created_at BIGINT NOT NULL,
     settled_at BIGINT,
     change_id TEXT,
     claimed_by TEXT,
     claim_expires_at TIMESTAMPTZ,
     UNIQUE (job_id, status),
     UNIQUE (change_id));
   CREATE INDEX notify_outbox_pending ON notify_outbox (vnf_instance_id, id) WHERE state = 'pending';
   CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at, id) WHERE state = 'pending';`,
];

/**
 * The VES outbox (component `ves`). A source's events are ordered by `sequence`, given from `ves_sequences` in the
 * statement that stores the event; a row handed to a replica carries its claim as the Notify outbox's do.
 */
export const POSTGRES_VES_OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ves_outbox (
     id BIGSERIAL PRIMARY KEY,
     source_name TEXT NOT NULL,
     event_id TEXT NOT NULL UNIQUE,
     sequence INTEGER NOT NULL,
     body TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT NOT NULL,
     last_error TEXT,
     created_at BIGINT NOT NULL,
     settled_at BIGINT,
     claimed_by TEXT,
     claim_expires_at TIMESTAMPTZ,
     UNIQUE (source_name, sequence));
   CREATE INDEX ves_outbox_source ON ves_outbox (source_name, sequence) WHERE state = 'pending';
   CREATE INDEX ves_outbox_due ON ves_outbox (next_attempt_at, id) WHERE state = 'pending';
   CREATE TABLE ves_sequences (source_name TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL);`,
  // The alarms raised and not yet cleared, shared by the replicas: a raise is stored once per severity, a clear only
  // for an active alarm, whichever replica decides it first.
  `CREATE TABLE ves_alarms (
     source_name TEXT NOT NULL,
     alarm_condition TEXT NOT NULL,
     severity TEXT NOT NULL,
     changed_at BIGINT NOT NULL,
     PRIMARY KEY (source_name, alarm_condition));`,
];
