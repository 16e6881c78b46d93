import { NOTIFICATIONS_PATH } from '../notifications-router';
import type { StoredNotification } from '../standalone-store';
import { DemoError } from './demo-errors';
import { buildInstantiateBody, buildScaleBody, type DemoPlan } from './demo-plan';
import { DriverClient } from './driver-client';
import { followJob, type JobEntryView } from './job-follower';
import { notifySummaryLine } from './notify-summary';
import { createProgressView, type DemoOutput, type JobProgressView } from './progress-view';

/** Settings of one demo walk. Durations in ms. */
export interface DemoWalkOptions {
  /** e.g. `http://127.0.0.1:8489` */
  driverUrl: string;
  vnfmType: string;
  plan: DemoPlan;
  out: DemoOutput;
  /** Timeout of each HTTP call (default 10 000). */
  httpTimeoutMs?: number;
  /** Pause between job polls (default 500; NSLCM itself polls every 2 000). */
  pollIntervalMs?: number;
  /** Longest wait for one job (default 300 000). */
  jobTimeoutMs?: number;
  /** Longest wait for a job's RESULT Notify once the job ended (default 30 000). */
  notifyTimeoutMs?: number;
  /** Print each Notify's full JSON below its summary line (default: the summary lines only). */
  notifyJson?: boolean;
  signal?: AbortSignal;
}

/** What the walk did. */
export interface DemoWalkResult {
  vnfInstanceId: string;
  jobs: Array<{ step: string; jobId: string; status: string }>;
  notifications: StoredNotification[];
}

/** One walk in progress: the client, the view and what ran. */
export interface Walk {
  client: DriverClient;
  view: JobProgressView;
  opts: DemoWalkOptions;
  jobs: DemoWalkResult['jobs'];
}

/**
 * Walks one VNF through instantiate → scale out → heal → scale in → terminate against a driver in
 * standalone mode, following each job as NSLCM does and waiting for each job's RESULT Notify, then
 * prints one summary line per Notify the driver sent (with its JSON when `notifyJson`). Every wait is bounded.
 * @throws DemoError when the driver is unreachable, not in standalone mode, or a job ends in error
 */
export async function runDemoWalk(opts: DemoWalkOptions): Promise<DemoWalkResult> {
  const w = await startWalk(opts);
  const client = w.client;
  const plan = opts.plan;
  const created = await runJob(w, 'instantiate', client.vnfmUrl('/vnfs'), buildInstantiateBody(plan));
  const id = textOf(created.vnfInstanceId);
  if (!id) throw new DemoError('instantiate', 'the driver answered without a vnfInstanceId');
  w.view.note(placementLine(await listNotifications(w, 'instantiate', id)));
  const vnf = (rest: string): string => client.vnfmUrl(`/vnfs/${encodeURIComponent(id)}${rest}`);
  await runJob(w, 'scale out', vnf('/scale'), buildScaleBody(plan, 'SCALE_OUT', 1), id);
  const vm = pickVm(await listNotifications(w, 'heal', id), plan.healVduId);
  await runJob(w, 'heal', vnf('/heal'), { action: 'vmReset', affectedvm: { vmid: vm.vmId, vduid: vm.vduId, vmname: vm.vmName } }, id);
  await runJob(w, 'scale in', vnf('/scale'), buildScaleBody(plan, 'SCALE_IN', 1), id);
  await runJob(w, 'terminate', vnf('/terminate'), { terminationType: 'graceful', gracefulTerminationTimeout: '10' }, id);
  const notifications = await listNotifications(w, 'notifications', id);
  printNotifications(w.view, notifications, opts.notifyJson ?? false);
  return { vnfInstanceId: id, jobs: w.jobs, notifications };
}

/** A walk against the driver `opts` names, once the driver answers and is in standalone mode. */
export async function startWalk(opts: DemoWalkOptions): Promise<Walk> {
  const client = new DriverClient({
    baseUrl: opts.driverUrl,
    vnfmType: opts.vnfmType,
    vnfmId: opts.plan.vnfmId,
    timeoutMs: opts.httpTimeoutMs ?? 10_000,
  });
  const w: Walk = { client, view: createProgressView(opts.out), opts, jobs: [] };
  await checkDriver(w);
  return w;
}

/** Checks that the driver answers and is in standalone mode. */
async function checkDriver(w: Walk): Promise<void> {
  const health = await w.client.get('connect', `${w.client.apiUrl}/health`);
  if (health.status !== 200)
    throw new DemoError('connect', `driver at ${w.opts.driverUrl} answered ${health.status} to /health (vnfm type ${w.opts.vnfmType}?)`);
  const listing = await w.client.get('connect', `${w.client.apiUrl}${NOTIFICATIONS_PATH}`);
  if (listing.status !== 200) {
    throw new DemoError('connect', `driver at ${w.opts.driverUrl} is not in standalone mode (no ${NOTIFICATIONS_PATH}; is MSB_URL set?)`);
  }
  w.view.note(`driver at ${w.opts.driverUrl} is up, standalone mode; VNFM ${w.opts.plan.vnfmId}`);
}

/** Starts one operation, follows its job to the end and waits for its RESULT Notify. */
export async function runJob(w: Walk, step: string, url: string, body: unknown, vnfInstanceId?: string): Promise<Record<string, unknown>> {
  const answer = await w.client.startJob(step, url, body);
  w.view.begin(step, answer.jobId);
  let final: JobEntryView;
  try {
    final = await followJob(w.client, {
      step,
      jobId: answer.jobId,
      intervalMs: w.opts.pollIntervalMs ?? 500,
      timeoutMs: w.opts.jobTimeoutMs ?? 300_000,
      onEntry: (e) => w.view.update(e),
      signal: w.opts.signal,
    });
  } catch (err) {
    w.view.note('');
    throw err;
  }
  w.view.end(final);
  w.jobs.push({ step, jobId: answer.jobId, status: final.status });
  if (final.status !== 'finished') {
    throw new DemoError(
      step,
      `job ${answer.jobId} ended in error: ${final.statusDescription}${final.errorCode ? ` (${final.errorCode})` : ''}`,
    );
  }
  await waitForResultNotify(w, step, vnfInstanceId ?? textOf(answer.vnfInstanceId), answer.jobId);
  return answer;
}

async function waitForResultNotify(w: Walk, step: string, vnfInstanceId: string, jobId: string): Promise<void> {
  const deadline = Date.now() + (w.opts.notifyTimeoutMs ?? 30_000);
  while (Date.now() < deadline && !w.opts.signal?.aborted) {
    const list = await listNotifications(w, step, vnfInstanceId);
    if (list.some((n) => n.jobId === jobId && n.status.toUpperCase() === 'RESULT')) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new DemoError(step, `no RESULT Notify for job ${jobId} within ${Math.round((w.opts.notifyTimeoutMs ?? 30_000) / 1000)} s`);
}

/** The Notify messages standalone mode received for one VNF, oldest first. */
export async function listNotifications(w: Walk, step: string, vnfInstanceId: string): Promise<StoredNotification[]> {
  const answer = await w.client.get(step, `${w.client.apiUrl}${NOTIFICATIONS_PATH}?vnfInstanceId=${encodeURIComponent(vnfInstanceId)}`);
  const list = (answer.body as { notifications?: unknown } | undefined)?.notifications;
  if (answer.status !== 200 || !Array.isArray(list)) throw new DemoError(step, `listing Notify messages answered ${answer.status}`);
  return list as StoredNotification[];
}

/** Where the instantiate RESULT Notify says the VMs run: `placed on VIM <vimId>: <vm names>` per VIM. */
export function placementLine(notifications: StoredNotification[]): string {
  const byVim = new Map<string, string[]>();
  for (const n of notifications) {
    if (n.status !== 'RESULT' || n.operation !== 'Instantiate') continue;
    for (const c of (n.body as { affectedVnfc?: Array<{ vimId?: string; vmName?: string }> }).affectedVnfc ?? []) {
      const vim = c.vimId ?? '?';
      byVim.set(vim, [...(byVim.get(vim) ?? []), c.vmName ?? '?']);
    }
  }
  if (byVim.size === 0) return 'placement: no VM in the instantiate RESULT Notify';
  return [...byVim].map(([vim, vms]) => `placed on VIM ${vim}: ${vms.join(', ')}`).join('\n');
}

interface VnfcView {
  vmId: string;
  vduId: string;
  vmName: string;
}

/** The VMs the Notify messages say exist now (ADDED minus REMOVED), and the first of `vduId`. */
export function pickVm(notifications: StoredNotification[], vduId: string): VnfcView {
  const live = new Map<string, VnfcView>();
  for (const n of notifications) {
    for (const c of (n.body as { affectedVnfc?: Array<VnfcView & { changeType: string }> }).affectedVnfc ?? []) {
      const change = c.changeType.toUpperCase();
      if (change === 'REMOVED') live.delete(c.vmId);
      else if (change === 'ADDED') live.set(c.vmId, { vmId: c.vmId, vduId: c.vduId, vmName: c.vmName });
    }
  }
  const vm = [...live.values()].find((v) => v.vduId === vduId);
  if (!vm)
    throw new DemoError(
      'heal',
      `no VM of VDU ${vduId} in the Notify messages (VMs: ${[...live.values()].map((v) => v.vmName).join(', ') || 'none'})`,
    );
  return vm;
}

/** One line per Notify (status, operation, counts of affected VNFCs, VLs and CPs), each followed by its JSON when asked. */
export function printNotifications(view: JobProgressView, list: StoredNotification[], withJson: boolean): void {
  view.note(`\nNotify messages the driver sent to NSLCM (${list.length}; + added, - removed, ~ modified):`);
  for (const n of list) {
    view.note(notifySummaryLine(n));
    if (withJson) view.note(JSON.stringify(n.body, null, 2));
  }
}

/** A string field of the driver's answer, '' when absent or not a string. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
