import { KILL_VM_PATH } from '../esc-simulator-router';
import type { StoredNotification, StoredVesEvent } from '../standalone-store';
import { VES_EVENTS_PATH } from '../ves-events-router';
import { DemoError } from './demo-errors';
import { buildInstantiateBody, type DemoPlan } from './demo-plan';
import { listNotifications, pickVm, runJob, startWalk, textOf, type DemoWalkOptions, type Walk } from './demo-walk';
import { notifySummaryLine } from './notify-summary';

/** Settings of the closed-loop demo: those of the walk, and how long to wait for each VES event or Notify (ms). */
export interface ClosedLoopOptions extends DemoWalkOptions {
  /** Longest wait for one VES event or ESC-initiated Notify (default 60 000). */
  eventTimeoutMs?: number;
}

/** A VES fault as the local VES sink listed it, in short. */
export interface FaultSeen {
  sourceName: string;
  severity: string;
  alarmCondition: string;
  specificProblem: string;
}

/** What the closed-loop demo showed, per healing owner. */
export interface ClosedLoopResult {
  esc: { vnfInstanceId: string; vm: string; faults: FaultSeen[]; recoveryNotify: StoredNotification };
  onap: { vnfInstanceId: string; vm: string; faults: FaultSeen[]; healJobId: string };
}

/**
 * `npm run demo -- closed-loop`: against a driver in standalone mode (its local VES sink standing in for DCAE), shows
 * what ONAP's closed loop gets from the driver. First with ESC as healing owner: a VM of a new VNF is killed in the
 * simulated ESC, the VES fault the rules raise on the VM's name, ESC's recovery reported to NSLCM as a Heal Notify, and
 * the clear. Then with ONAP as healing owner (`inputs.healingOwner: onap`): the VM is killed, ESC leaves it down and
 * the VES fault is the only word of it; a heal through the API (as NSLCM sends it for Policy) brings it back and
 * clears the fault. Each VNF is terminated at the end of its part. Every wait is bounded.
 * @throws DemoError when the driver is unreachable, not in standalone mode, without its local VES sink, or an expected
 *   event does not come in time
 */
export async function runClosedLoopDemo(opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const w = await startWalk(opts);
  const client = w.client;
  const sink = await client.get('connect', `${client.apiUrl}${VES_EVENTS_PATH}`);
  if (sink.status !== 200) {
    throw new DemoError('connect', `the driver has no local VES sink (${VES_EVENTS_PATH} answered ${sink.status}; is VES_URL set?)`);
  }

  w.view.note('\n== healing owner esc: ESC recovers the VM on its own, the driver tells VES and NSLCM ==');
  const escVnf = await instantiate(w, 'esc');
  const escVm = pickVm(await listNotifications(w, 'heal', escVnf), opts.plan.healVduId);
  const escFrom = (await faultsOf(w, escVm.vmName)).length;
  const jobsBefore = new Set((await listNotifications(w, 'kill VM', escVnf)).map((n) => n.jobId));
  await killVm(w, escVm.vmId, escVm.vmName);
  await waitForFault(w, escVm.vmName, escFrom, (f) => f.severity !== 'NORMAL', 'the VES fault of the killed VM');
  const recoveryNotify = await waitFor(w, 'ESC recovery', 'the Notify of the recovery ESC made', async () =>
    (await listNotifications(w, 'ESC recovery', escVnf)).find((n) => !jobsBefore.has(n.jobId) && n.status.toUpperCase() === 'RESULT'),
  );
  w.view.note(`NSLCM told of ESC's recovery: ${notifySummaryLine(recoveryNotify)}`);
  await waitForFault(w, escVm.vmName, escFrom, (f) => f.severity === 'NORMAL', 'the VES clear');
  const escFaults = (await faultsOf(w, escVm.vmName)).slice(escFrom);
  await terminate(w, escVnf);

  w.view.note('\n== healing owner onap: ESC leaves the VM down, VES tells Policy, a heal through NSLCM brings it back ==');
  const onapVnf = await instantiate(w, 'onap');
  const onapVm = pickVm(await listNotifications(w, 'heal', onapVnf), opts.plan.healVduId);
  const onapFrom = (await faultsOf(w, onapVm.vmName)).length;
  await killVm(w, onapVm.vmId, onapVm.vmName);
  await waitForFault(w, onapVm.vmName, onapFrom, (f) => f.severity !== 'NORMAL', 'the VES fault of the killed VM');
  w.view.note('ESC has no recovery action for this VNF: the VM stays down until Policy asks for a heal; healing it as NSLCM would:');
  const heal = await runJob(
    w,
    'heal',
    client.vnfmUrl(`/vnfs/${encodeURIComponent(onapVnf)}/heal`),
    { action: 'vmReset', affectedvm: { vmid: onapVm.vmId, vduid: onapVm.vduId, vmname: onapVm.vmName } },
    onapVnf,
  );
  await waitForFault(w, onapVm.vmName, onapFrom, (f) => f.severity === 'NORMAL', 'the VES clear');
  const onapFaults = (await faultsOf(w, onapVm.vmName)).slice(onapFrom);
  await terminate(w, onapVnf);

  return {
    esc: { vnfInstanceId: escVnf, vm: escVm.vmName, faults: escFaults, recoveryNotify },
    onap: { vnfInstanceId: onapVnf, vm: onapVm.vmName, faults: onapFaults, healJobId: textOf(heal.jobId) },
  };
}

async function instantiate(w: Walk, owner: 'esc' | 'onap'): Promise<string> {
  const plan: DemoPlan = {
    ...w.opts.plan,
    vnfInstanceName: `${w.opts.plan.vnfInstanceName}_${owner}`,
    inputs: { ...w.opts.plan.inputs, healingOwner: owner },
  };
  const created = await runJob(w, `instantiate (healing owner ${owner})`, w.client.vnfmUrl('/vnfs'), buildInstantiateBody(plan));
  const id = textOf(created.vnfInstanceId);
  if (!id) throw new DemoError('instantiate', 'the driver answered without a vnfInstanceId');
  return id;
}

async function terminate(w: Walk, vnfInstanceId: string): Promise<void> {
  const url = w.client.vnfmUrl(`/vnfs/${encodeURIComponent(vnfInstanceId)}/terminate`);
  await runJob(w, 'terminate', url, { terminationType: 'graceful', gracefulTerminationTimeout: '10' }, vnfInstanceId);
}

async function killVm(w: Walk, vmId: string, vmName: string): Promise<void> {
  const answer = await w.client.post('kill VM', `${w.client.apiUrl}${KILL_VM_PATH}`, { vm: vmId });
  if (answer.status !== 202)
    throw new DemoError('kill VM', `killing VM ${vmName} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  w.view.note(`VM ${vmName} (${vmId}) killed in the simulated ESC`);
}

/** The VES faults the local sink received about `sourceName`, oldest first. */
async function faultsOf(w: Walk, sourceName: string): Promise<FaultSeen[]> {
  const answer = await w.client.get('VES events', `${w.client.apiUrl}${VES_EVENTS_PATH}?sourceName=${encodeURIComponent(sourceName)}`);
  const events = (answer.body as { events?: unknown } | undefined)?.events;
  if (answer.status !== 200 || !Array.isArray(events)) throw new DemoError('VES events', `listing VES events answered ${answer.status}`);
  return (events as StoredVesEvent[]).flatMap((e) => {
    const f = (e.event as { faultFields?: Record<string, unknown> } | undefined)?.faultFields;
    if (!f) return [];
    return [
      {
        sourceName: e.sourceName,
        severity: textOf(f.eventSeverity),
        alarmCondition: textOf(f.alarmCondition),
        specificProblem: textOf(f.specificProblem),
      },
    ];
  });
}

async function waitForFault(w: Walk, sourceName: string, from: number, pick: (f: FaultSeen) => boolean, what: string): Promise<FaultSeen> {
  const fault = await waitFor(w, 'VES events', what, async () => (await faultsOf(w, sourceName)).slice(from).find(pick));
  w.view.note(`VES fault received by the sink: ${fault.severity} ${fault.alarmCondition} on ${fault.sourceName}: ${fault.specificProblem}`);
  return fault;
}

async function waitFor<T>(w: Walk, step: string, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const timeoutMs = (w.opts as ClosedLoopOptions).eventTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !w.opts.signal?.aborted) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new DemoError(step, `${what} did not come within ${Math.round(timeoutMs / 1000)} s`);
}
