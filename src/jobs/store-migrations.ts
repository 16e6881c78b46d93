/**
 * Schema of the jobs component, in order. Released entries are never edited; a change is a new entry.
 * Applied through `applyMigrations(db, 'jobs', JOB_MIGRATIONS)`.
 */
export const JOB_MIGRATIONS: readonly string[] = [
  `CREATE TABLE vnf_instances (
     vnf_instance_id TEXT PRIMARY KEY,
     vnfm_id TEXT NOT NULL,
     name TEXT NOT NULL,
     description TEXT,
     vnfd_id TEXT NOT NULL,
     vnf_package_id TEXT NOT NULL,
     esc_tenant TEXT,
     esc_deployment TEXT,
     vim_id TEXT,
     status TEXT NOT NULL,
     attributes TEXT NOT NULL DEFAULT '{}',
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL);
   CREATE INDEX vnf_instances_vnfm ON vnf_instances (vnfm_id);
   CREATE TABLE jobs (
     job_id TEXT PRIMARY KEY,
     operation TEXT NOT NULL,
     vnf_instance_id TEXT NOT NULL,
     vnfm_id TEXT NOT NULL,
     request TEXT NOT NULL,
     request_id TEXT NOT NULL,
     status TEXT NOT NULL,
     progress INTEGER NOT NULL,
     status_description TEXT NOT NULL,
     error_code TEXT,
     response_id INTEGER NOT NULL,
     state TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL);
   CREATE INDEX jobs_vnf_status ON jobs (vnf_instance_id, status);
   CREATE INDEX jobs_status ON jobs (status);
   CREATE TABLE job_history (
     job_id TEXT NOT NULL REFERENCES jobs (job_id),
     response_id INTEGER NOT NULL,
     status TEXT NOT NULL,
     progress INTEGER NOT NULL,
     status_description TEXT NOT NULL,
     error_code TEXT,
     at TEXT NOT NULL,
     PRIMARY KEY (job_id, response_id)) WITHOUT ROWID;`,
  // Lookup of the VNF behind an ESC deployment (ESC-initiated events name tenant and deployment only).
  'CREATE INDEX vnf_instances_deployment ON vnf_instances (esc_tenant, esc_deployment)',
  // Listings per VNFM, newest first (GET …/{vnfmid}/jobs and …/{vnfmid}/vnfs): read backwards along these.
  `CREATE INDEX jobs_vnfm_created ON jobs (vnfm_id, created_at, job_id);
   CREATE INDEX vnf_instances_vnfm_created ON vnf_instances (vnfm_id, created_at, vnf_instance_id);
   DROP INDEX vnf_instances_vnfm;`,
  // Job ownership (owner replica, epoch of that ownership, lease end in epoch ms) and, as a constraint rather than
  // a check before the insert, at most one unfinished job per VNF.
  `ALTER TABLE jobs ADD COLUMN owner TEXT;
   ALTER TABLE jobs ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER;
   CREATE UNIQUE INDEX jobs_one_unfinished_per_vnf ON jobs (vnf_instance_id) WHERE status IN ('started', 'processing');
   CREATE INDEX jobs_owner ON jobs (owner) WHERE status IN ('started', 'processing');`,
];
