import type { VnfRecord, VnfStatus } from '../vnfs/vnf-record';
import { wireErrorCode, type Job, type JobEntry, type JobStatus, type Operation } from './job-model';
import type { JobSummary } from './store-listing';

/** The columns of a `job_history` entry, in the order of {@link HistoryTuple}. */
export const ENTRY_COLS = 'response_id, status, progress, status_description, error_code, at';

/** A job's history, newest first (one parameter: the job id); read in raw mode as {@link HistoryTuple}s. */
export const HISTORY_NEWEST_FIRST_SQL = `SELECT ${ENTRY_COLS} FROM job_history WHERE job_id = ? ORDER BY response_id DESC`;

/** A `job_history` row read in raw mode: the columns of {@link ENTRY_COLS}, in that order. */
export type HistoryTuple = [number, string, number, string, string | null, string];

/** The entry of a {@link HistoryTuple}. */
export function entryFromTuple(t: HistoryTuple): JobEntry {
  return { responseId: t[0], status: t[1] as JobStatus, progress: t[2], statusDescription: t[3], errorCode: t[4], at: t[5] };
}

/** A row of `vnf_instances`. */
export interface VnfRow {
  vnf_instance_id: string;
  vnfm_id: string;
  name: string;
  description: string | null;
  vnfd_id: string;
  vnf_package_id: string;
  esc_tenant: string | null;
  esc_deployment: string | null;
  vim_id: string | null;
  status: string;
  attributes: string;
  created_at: string;
  updated_at: string;
}

/** A row of `jobs`. */
export interface JobRow {
  job_id: string;
  operation: string;
  vnf_instance_id: string;
  vnfm_id: string;
  request: string;
  request_id: string;
  status: string;
  progress: number;
  status_description: string;
  error_code: string | null;
  response_id: number;
  state: string | null;
  created_at: string;
  updated_at: string;
  /** The replica that owns the job (null: nobody) and the epoch of that ownership. */
  owner?: string | null;
  epoch?: number;
}

/** A row of `job_history`. */
export interface EntryRow {
  response_id: number;
  status: string;
  progress: number;
  status_description: string;
  error_code: string | null;
  at: string;
}

/** Maps a `vnf_instances` row to a record. */
export function vnfFromRow(r: VnfRow): VnfRecord {
  const vnf: VnfRecord = {
    vnfInstanceId: r.vnf_instance_id,
    vnfmId: r.vnfm_id,
    vnfInstanceName: r.name,
    vnfdId: r.vnfd_id,
    vnfPackageId: r.vnf_package_id,
    status: r.status as VnfStatus,
    attributes: JSON.parse(r.attributes) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.description !== null) vnf.vnfInstanceDescription = r.description;
  if (r.esc_tenant !== null) vnf.escTenant = r.esc_tenant;
  if (r.esc_deployment !== null) vnf.escDeployment = r.esc_deployment;
  if (r.vim_id !== null) vnf.vimId = JSON.parse(r.vim_id) as VnfRecord['vimId'];
  return vnf;
}

/** Maps a record to named parameters of `vnf_instances`. */
export function vnfToRow(v: VnfRecord): VnfRow {
  return {
    vnf_instance_id: v.vnfInstanceId,
    vnfm_id: v.vnfmId,
    name: v.vnfInstanceName,
    description: v.vnfInstanceDescription ?? null,
    vnfd_id: v.vnfdId,
    vnf_package_id: v.vnfPackageId,
    esc_tenant: v.escTenant ?? null,
    esc_deployment: v.escDeployment ?? null,
    vim_id: v.vimId ? JSON.stringify(v.vimId) : null,
    status: v.status,
    attributes: JSON.stringify(v.attributes),
    created_at: v.createdAt,
    updated_at: v.updatedAt,
  };
}

/** Maps a `job_history` row (or the latest columns of `jobs`) to an entry. */
export function entryFromRow(r: EntryRow): JobEntry {
  return {
    responseId: r.response_id,
    status: r.status as JobStatus,
    progress: r.progress,
    statusDescription: r.status_description,
    errorCode: r.error_code,
    at: r.at,
  };
}

/** Maps a `jobs` row to a job. */
export function jobFromRow(r: JobRow): Job {
  const job: Job = {
    jobId: r.job_id,
    operation: r.operation as Operation,
    vnfInstanceId: r.vnf_instance_id,
    vnfmId: r.vnfm_id,
    request: JSON.parse(r.request) as unknown,
    requestId: r.request_id,
    latest: entryFromRow({ ...r, at: r.updated_at }),
    createdAt: r.created_at,
  };
  if (r.state !== null) job.state = JSON.parse(r.state) as Record<string, unknown>;
  if (r.owner) job.fence = { replicaId: r.owner, epoch: Number(r.epoch ?? 0) };
  return job;
}

/** Maps a `jobs` row to the summary a listing shows (no request, no checkpoint). */
export function jobSummaryFromRow(r: JobRow): JobSummary {
  return {
    jobId: r.job_id,
    operation: r.operation as Operation,
    vnfInstanceId: r.vnf_instance_id,
    vnfmId: r.vnfm_id,
    requestId: r.request_id,
    status: r.status as JobStatus,
    progress: r.progress,
    statusDescription: r.status_description,
    errorCode: wireErrorCode(r.error_code),
    responseId: r.response_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
