import { DemoError } from '../standalone/demo/demo-errors';
import { DriverClient, type DriverAnswer } from '../standalone/demo/driver-client';
import { followJob } from '../standalone/demo/job-follower';
import { createProgressView } from '../standalone/demo/progress-view';
import { table, type CliOutput } from './cli-output';

/** Options shared by the commands that ask a running driver. */
export interface DriverOptions {
  url: string;
  vnfmType: string;
  vnfmId: string;
  timeoutMs: number;
  json: boolean;
}

/** Filters and paging of the list commands, as given on the command line. */
export interface ListOptions {
  status?: string;
  operation?: string;
  limit?: string;
  cursor?: string;
}

/** A failure to report: the message, and exit code 1. */
export class CommandFailed extends Error {}

/** Longest time `jobs follow` waits, ms: above any job deadline (JOB_DEADLINE_SECONDS caps at 86400 s). */
const FOLLOW_TIMEOUT_MS = 86_400_000;
const FOLLOW_INTERVAL_MS = 1_000;

function clientOf(opts: DriverOptions): DriverClient {
  return new DriverClient({ baseUrl: opts.url, vnfmType: opts.vnfmType, vnfmId: opts.vnfmId, timeoutMs: opts.timeoutMs });
}

/** GET, requiring 200; anything else becomes a {@link CommandFailed} quoting the driver's error. */
async function getOk(client: DriverClient, what: string, url: string): Promise<Record<string, unknown>> {
  let answer: DriverAnswer;
  try {
    answer = await client.get(what, url);
  } catch (err) {
    throw new CommandFailed(err instanceof DemoError ? err.message : String(err));
  }
  if (answer.status !== 200) {
    const body = answer.body as { error?: string; details?: { field: string; reason: string }[] } | undefined;
    const details = (body?.details ?? []).map((d) => `; ${d.field}: ${d.reason}`).join('');
    throw new CommandFailed(`${what}: the driver answered ${answer.status} ${body?.error ?? ''}${details}`);
  }
  return (answer.body ?? {}) as Record<string, unknown>;
}

function query(list: ListOptions): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries<string | undefined>({ ...list })) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function morePages(out: CliOutput, body: Record<string, unknown>): void {
  if (typeof body.nextCursor === 'string') out.stdout(`more: add --cursor ${body.nextCursor}\n`);
}

/** `vnfs list`. */
export async function listVnfs(opts: DriverOptions, list: ListOptions, out: CliOutput): Promise<number> {
  const client = clientOf(opts);
  const body = await getOk(client, 'vnfs list', client.vnfmUrl(`/vnfs${query(list)}`));
  if (opts.json) return printJson(out, body);
  const vnfs = (body.vnfs ?? []) as Array<Record<string, string>>;
  out.stdout(
    table(
      ['VNF', 'NAME', 'STATUS', 'CREATED', 'ESC DEPLOYMENT'],
      vnfs.map((v) => [v.vnfInstanceId ?? '', v.vnfInstanceName ?? '', v.status ?? '', v.createdAt ?? '', v.escDeployment ?? '']),
    ),
  );
  morePages(out, body);
  return 0;
}

/** `vnfs show <id>`. */
export async function showVnf(opts: DriverOptions, vnfInstanceId: string, out: CliOutput): Promise<number> {
  const client = clientOf(opts);
  const body = await getOk(client, 'vnfs show', client.vnfmUrl(`/vnfs/${encodeURIComponent(vnfInstanceId)}`));
  if (opts.json) return printJson(out, body);
  const info = (body.vnfInfo ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(info)) out.stdout(`${key}: ${String(value)}\n`);
  return 0;
}

/** `jobs list`. */
export async function listJobs(opts: DriverOptions, list: ListOptions, out: CliOutput): Promise<number> {
  const client = clientOf(opts);
  const body = await getOk(client, 'jobs list', client.vnfmUrl(`/jobs${query(list)}`));
  if (opts.json) return printJson(out, body);
  const jobs = (body.jobs ?? []) as Array<Record<string, string | number>>;
  out.stdout(
    table(
      ['JOB', 'OPERATION', 'STATUS', 'PROGRESS', 'VNF', 'CREATED', 'DESCRIPTION'],
      jobs.map((j) => [
        String(j.jobId),
        String(j.operation),
        String(j.status),
        String(j.progress),
        String(j.vnfInstanceId),
        String(j.createdAt),
        String(j.statusDescription),
      ]),
    ),
  );
  morePages(out, body);
  return 0;
}

/** `jobs show <id>`: the latest entry and the whole history, oldest first. */
export async function showJob(opts: DriverOptions, jobId: string, out: CliOutput): Promise<number> {
  const client = clientOf(opts);
  const body = await getOk(client, 'jobs show', client.vnfmUrl(`/jobs/${encodeURIComponent(jobId)}?responseId=0`));
  if (opts.json) return printJson(out, body);
  const latest = (body.responseDescriptor ?? {}) as Record<string, unknown> & { responseHistoryList?: Array<Record<string, unknown>> };
  out.stdout(`job ${jobId}: ${String(latest.status)} ${String(latest.progress)}% ${String(latest.statusDescription)}\n`);
  const history = [...(latest.responseHistoryList ?? [])].reverse();
  out.stdout(
    table(
      ['ID', 'STATUS', 'PROGRESS', 'DESCRIPTION'],
      history.map((e) => [String(e.responseId), String(e.status), String(e.progress), String(e.statusDescription)]),
    ),
  );
  return 0;
}

/** `jobs follow <id>`: live progress (a bar on a terminal, lines otherwise) until the job ends; 0 finished, 1 error. */
export async function followJobCommand(opts: DriverOptions, jobId: string, out: CliOutput, signal?: AbortSignal): Promise<number> {
  const client = clientOf(opts);
  const view = createProgressView({ write: (text) => out.stdout(text), isTTY: out.isTTY, columns: out.columns });
  view.begin('job', jobId);
  try {
    const last = await followJob(client, {
      step: 'job',
      jobId,
      intervalMs: FOLLOW_INTERVAL_MS,
      timeoutMs: FOLLOW_TIMEOUT_MS,
      signal,
      onEntry: (entry) => view.update(entry),
    });
    view.end(last);
    if (last.status === 'error') {
      out.stderr(`job ${jobId} failed: ${last.statusDescription}${last.errorCode ? ` (${last.errorCode})` : ''}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    throw new CommandFailed(err instanceof DemoError ? err.message : String(err));
  }
}

function printJson(out: CliOutput, body: unknown): number {
  out.stdout(`${JSON.stringify(body, null, 2)}\n`);
  return 0;
}
