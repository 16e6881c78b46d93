import type { EscEventView } from '../../../src/esc/esc-event-view';
import type { Job } from '../../../src/jobs/job-model';
import { EscResponsibility } from '../../../src/lifecycle/esc-responsibility';
import { InventoryReconciler, type InventoryStorePort } from '../../../src/lifecycle/inventory-reconciler';
import { escChangeId } from '../../../src/lifecycle/vnfc-inventory-diff';
import type { EscSessionPort, NotifyOutboxPort, ReconcileLock } from '../../../src/lifecycle/ports';
import { silentLog } from '../../../src/logging/log';
import type { VnfPatch, VnfRecord } from '../../../src/vnfs/vnf-record';
import type { VnfcEntry } from '../../../src/vnfs/vnfc-inventory';
import { parseXml } from '../../../src/xml';

type Sent = Parameters<NotifyOutboxPort['enqueue']>[0];

interface OpdataVm {
  vmId: string;
  name: string;
  state?: string;
}

/** A `<data>` reply holding one deployment `dep` of tenant `t` with the VMs of group `g`. */
function opdataXml(vms: readonly OpdataVm[]): string {
  const instances = vms
    .map(
      (v) =>
        `<vm_instance><vm_id>${v.vmId}</vm_id><name>${v.name}</name><interfaces><interface><nicid>0</nicid>` +
        `<port_id>port-${v.vmId}</port_id><ip_address>10.0.0.${v.vmId.length}</ip_address></interface></interfaces></vm_instance>`,
    )
    .join('');
  const machines = vms
    .map((v) => `<vm_state_machine><vm_name>${v.name}</vm_name><state>${v.state ?? 'VM_ALIVE_STATE'}</state></vm_state_machine>`)
    .join('');
  return (
    '<data><esc_datamodel xmlns="http://www.cisco.com/esc/esc"><opdata><tenants><tenant><name>t</name><deployments>' +
    `<deployment_name>dep</deployment_name><vm_group><name>g</name>${instances}</vm_group>` +
    `<state_machine><state>SERVICE_ACTIVE_STATE</state><vm_state_machines>${machines}</vm_state_machines></state_machine>` +
    '</deployments></tenant></tenants></opdata></esc_datamodel></data>'
  );
}

function entry(vmId: string, name = `vm-${vmId}`): VnfcEntry {
  return {
    vnfcInstanceId: vmId,
    vduId: 'vdu_1',
    vmId,
    vmName: name,
    vmGroup: 'g',
    nics: [{ nicid: '0', portId: `port-${vmId}`, ipAddress: `10.0.0.${vmId.length}` }],
  };
}

function buildVnf(vnfcs: VnfcEntry[] | undefined): VnfRecord {
  return {
    vnfInstanceId: 'vnf-1',
    vnfmId: 'vnfm-1',
    vnfInstanceName: 'v',
    vnfdId: 'd',
    vnfPackageId: 'p',
    status: 'ACTIVE',
    escTenant: 't',
    escDeployment: 'dep',
    attributes: {
      vimIdString: 'owner_region',
      escGroups: { g: { vduId: 'vdu_1', nics: { 0: { cpdId: 'cp_0', vlInstanceId: 'ns-vl' } } } },
      ...(vnfcs ? { vnfcs } : {}),
    },
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  };
}

interface Rig {
  reconciler: InventoryReconciler;
  sent: Sent[];
  vnf(): VnfRecord;
  setOpdata(vms: OpdataVm[]): void;
  jobs: Job[];
  reads: () => number;
  failures: string[];
  failNextSave(): void;
  /** What the outbox answers to the next enqueues (default: stored). */
  answerWith(answer: (m: Sent) => { inserted: boolean; jobId?: string }): void;
}

function buildRig(
  vnfcs: VnfcEntry[] | undefined,
  opdata: OpdataVm[],
  intervalMs = 60_000,
  status: VnfRecord['status'] = 'ACTIVE',
  lock?: ReconcileLock,
): Rig {
  let answer = (_m: Sent): { inserted: boolean; jobId?: string } => ({ inserted: true });
  let record: VnfRecord = { ...buildVnf(vnfcs), status };
  let xml = opdataXml(opdata);
  let reads = 0;
  let failSave = false;
  const sent: Sent[] = [];
  const jobs: Job[] = [];
  const failures: string[] = [];
  const store: InventoryStorePort = {
    getVnf: (id) => (id === record.vnfInstanceId ? record : undefined),
    updateVnf: (_id, patch: VnfPatch) => {
      if (failSave) {
        failSave = false;
        throw new Error('store closed');
      }
      record = { ...record, ...patch };
      return record;
    },
    findByDeployment: (t, d) => (t === record.escTenant && d === record.escDeployment ? record : undefined),
    vnfsWithDeployment: () => [record],
    unfinishedJobs: () => jobs,
  };
  const session = {
    address: 'esc:830',
    get: () => {
      reads++;
      return Promise.resolve(parseXml(xml));
    },
  } as unknown as EscSessionPort<EscEventView>;
  const reconciler = new InventoryReconciler({
    store,
    esc: { channelFor: () => Promise.resolve(session), close: () => Promise.resolve() },
    outbox: {
      enqueue: (m) => {
        sent.push(m);
        return Promise.resolve(answer(m));
      },
    },
    log: silentLog,
    intervalMs,
    responsibility: lock ? new EscResponsibility({ lock, retryMs: 60_000, log: silentLog }) : undefined,
    metrics: {
      escInitiatedFailures: { inc: (l) => void failures.push(l.type) },
      inventoryChanges: { inc: () => undefined },
    },
  });
  return {
    reconciler,
    sent,
    vnf: () => record,
    setOpdata: (vms) => void (xml = opdataXml(vms)),
    jobs,
    reads: () => reads,
    failures,
    failNextSave: () => void (failSave = true),
    answerWith: (a) => void (answer = a),
  };
}

const vnfcsOf = (r: Rig): VnfcEntry[] => r.vnf().attributes.vnfcs as VnfcEntry[];

async function waitUntil(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('InventoryReconciler', () => {
  it('when ESC replaced a VM, then one Heal RESULT reports the old VNFC REMOVED and the new ADDED, and the record holds the new one', async () => {
    const rig = buildRig(
      [entry('old-1', 'vm-a'), entry('keep-1')],
      [
        { vmId: 'new-1', name: 'vm-a' },
        { vmId: 'keep-1', name: 'vm-keep-1' },
      ],
    );
    await rig.reconciler.reconcile('vnf-1');
    expect(rig.sent).toHaveLength(1);
    expect(rig.sent[0]).toMatchObject({ vnfmId: 'vnfm-1', vnfInstanceId: 'vnf-1', status: 'RESULT', operation: 'Heal' });
    expect(rig.sent[0].body.jobId).toBe(rig.sent[0].jobId);
    expect(rig.sent[0].body.affectedVnfc.map((v) => [v.changeType, v.vnfcInstanceId, v.vmId, v.vduId])).toEqual([
      ['REMOVED', 'old-1', 'old-1', 'vdu_1'],
      ['ADDED', 'new-1', 'new-1', 'vdu_1'],
    ]);
    expect(rig.sent[0].body.affectedCp.map((c) => [c.changeType, c.cpInstanceId, c.virtualLinkInstanceId])).toEqual([
      ['REMOVED', 'port-old-1', 'ns-vl'],
      ['ADDED', 'port-new-1', 'ns-vl'],
    ]);
    expect(rig.sent[0].body.affectedVl).toEqual([]);
    expect(vnfcsOf(rig).map((e) => e.vmId)).toEqual(['new-1', 'keep-1']);
  });

  it('when the same opdata is reconciled again, then nothing more is sent', async () => {
    const rig = buildRig(
      [entry('a')],
      [
        { vmId: 'a', name: 'vm-a' },
        { vmId: 'b', name: 'vm-b' },
      ],
    );
    await rig.reconciler.reconcile('vnf-1');
    await rig.reconciler.reconcile('vnf-1');
    expect(rig.sent.map((m) => m.operation)).toEqual(['Scaleout']);
  });

  it('when the record could not be saved after the Notify was queued, then the next reconciliation queues it under the same jobId', async () => {
    const rig = buildRig([entry('a'), entry('b')], [{ vmId: 'a', name: 'vm-a' }]);
    rig.failNextSave();
    await rig.reconciler.reconcile('vnf-1');
    await rig.reconciler.reconcile('vnf-1');
    expect(rig.sent.map((m) => m.operation)).toEqual(['Scalein', 'Scalein']);
    expect(rig.sent[1].jobId).toBe(rig.sent[0].jobId);
    expect(vnfcsOf(rig).map((e) => e.vmId)).toEqual(['a']);
  });

  it('when two different changes happen, then their jobIds differ', async () => {
    const rig = buildRig(
      [entry('a')],
      [
        { vmId: 'a', name: 'vm-a' },
        { vmId: 'b', name: 'vm-b' },
      ],
    );
    await rig.reconciler.reconcile('vnf-1');
    rig.setOpdata([{ vmId: 'a', name: 'vm-a' }]);
    await rig.reconciler.reconcile('vnf-1');
    expect(rig.sent.map((m) => m.operation)).toEqual(['Scaleout', 'Scalein']);
    expect(rig.sent[1].jobId).not.toBe(rig.sent[0].jobId);
  });

  it('when the VNF has a job running, then it is left to that job: nothing is read or sent', async () => {
    const rig = buildRig([entry('a')], [{ vmId: 'b', name: 'vm-b' }]);
    rig.jobs.push({ vnfInstanceId: 'vnf-1' } as Job);
    await rig.reconciler.reconcile('vnf-1');
    expect(rig.reads()).toBe(0);
    expect(rig.sent).toEqual([]);
  });

  it.each(['FAILED', 'INSTANTIATING', 'TERMINATING'] as const)(
    'when the VNF is %s, then its deployment is not reconciled',
    async (status) => {
      const rig = buildRig([entry('a')], [{ vmId: 'b', name: 'vm-b' }], 60_000, status);
      await rig.reconciler.reconcile('vnf-1');
      rig.reconciler.requestPass('test');
      await rig.reconciler.stop();
      expect(rig.reads()).toBe(0);
      expect(rig.sent).toEqual([]);
    },
  );

  it('when the record predates the inventory, then it takes what ESC holds as what NSLCM knows, without a Notify', async () => {
    const rig = buildRig(undefined, [{ vmId: 'a', name: 'vm-a' }]);
    await rig.reconciler.reconcile('vnf-1');
    expect(rig.sent).toEqual([]);
    expect(vnfcsOf(rig).map((e) => e.vnfcInstanceId)).toEqual(['a']);
  });

  it('when a recovery fails, then the VNFC is marked with what ESC said, the failure is counted and nothing is sent', async () => {
    const rig = buildRig([entry('a', 'vm-a')], [{ vmId: 'a', name: 'vm-a', state: 'VM_ERROR_STATE' }]);
    rig.reconciler.onEscEvent({
      type: 'VM_RECOVERY_COMPLETE',
      status: 'FAILURE',
      statusMessage: 'Recovery: VM [vm-a] failed to be recovered.',
      tenant: 't',
      depname: 'dep',
      vmSource: { vmid: 'a', interfaces: [] },
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(vnfcsOf(rig)[0]).toMatchObject({ vmId: 'a', error: 'Recovery: VM [vm-a] failed to be recovered.' });
    expect(rig.failures).toEqual(['VM_RECOVERY_COMPLETE']);
    expect(rig.sent).toEqual([]);
  });

  it('when an ESC-initiated workflow ends, then its Notify carries an id made of the ESC, the event time, type, deployment and VMs', async () => {
    const rig = buildRig([entry('old-1', 'vm-a')], [{ vmId: 'new-1', name: 'vm-a' }]);
    const event: EscEventView = {
      type: 'VM_RECOVERY_COMPLETE',
      status: 'SUCCESS',
      statusMessage: 'Recovery: Successfully recovered VM [vm-a].',
      tenant: 't',
      depname: 'dep',
      vmSource: { vmid: 'old-1', interfaces: [] },
      vmTarget: { vmid: 'new-1', interfaces: [] },
      eventTime: '2026-11-23T12:08:19.741+00:00',
    };
    rig.reconciler.onEscEvent(event, 'esc-a:830');
    await waitUntil(() => rig.sent.length === 1);
    const id = rig.sent[0].changeId;
    expect(id).toMatch(/^esc-event:[0-9a-f]{32}$/);

    // Every replica derives the same id from the same event; another time, ESC or VM makes another change.
    expect(escChangeId('esc-a:830', { ...event })).toBe(id);
    expect(escChangeId('esc-a:830', { ...event, eventTime: '2026-11-23T12:09:00.000+00:00' })).not.toBe(id);
    expect(escChangeId('esc-b:830', event)).not.toBe(id);
    expect(escChangeId('esc-a:830', { ...event, vmTarget: { vmid: 'new-2', interfaces: [] } })).not.toBe(id);
  });

  it('when another replica already reported the same ESC event as another change, then this one keeps the record as it was', async () => {
    const rig = buildRig([entry('old-1', 'vm-a')], [{ vmId: 'new-1', name: 'vm-a' }]);
    rig.answerWith(() => ({ inserted: false, jobId: 'reported-by-another-replica' }));
    rig.reconciler.onEscEvent(
      { type: 'VM_RECOVERY_COMPLETE', status: 'SUCCESS', statusMessage: '', tenant: 't', depname: 'dep', eventTime: 't1' },
      'esc:830',
    );
    await waitUntil(() => rig.sent.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(vnfcsOf(rig).map((e) => e.vmId)).toEqual(['old-1']);

    rig.answerWith((m) => ({ inserted: false, jobId: m.jobId }));
    await rig.reconciler.reconcile('vnf-1');
    expect(vnfcsOf(rig).map((e) => e.vmId)).toEqual(['new-1']);
  });

  it('when another replica holds the lock of the ESC, then a pass leaves its deployments alone; once free, it takes the lock, keeps it and reconciles them', async () => {
    let holder: string | undefined = 'other replica';
    const keys: string[] = [];
    const lock: ReconcileLock = {
      tryHold: (key) => {
        keys.push(key);
        if (holder) return Promise.resolve(undefined);
        holder = 'this replica';
        return Promise.resolve({ release: () => Promise.resolve(void (holder = undefined)) });
      },
    };
    const rig = buildRig([entry('old-1', 'vm-a')], [{ vmId: 'new-1', name: 'vm-a' }], 60_000, 'ACTIVE', lock);
    rig.reconciler.requestPass('test');
    await new Promise((r) => setTimeout(r, 20));
    expect(rig.reads()).toBe(0);
    expect(keys).toEqual(['reconcile esc:830']);

    holder = undefined;
    rig.reconciler.requestPass('test');
    await waitUntil(() => rig.sent.length === 1);
    expect(vnfcsOf(rig).map((e) => e.vmId)).toEqual(['new-1']);
    // The lock is kept from pass to pass: the next pass does not ask for it again.
    expect(holder).toBe('this replica');
    rig.reconciler.requestPass('test');
    await waitUntil(() => rig.reads() === 2);
    expect(keys).toEqual(['reconcile esc:830', 'reconcile esc:830']);
  });

  it('when ESC shows the VM alive again after an error, then the error mark is cleared', async () => {
    const rig = buildRig([{ ...entry('a', 'vm-a'), error: 'failed' }], [{ vmId: 'a', name: 'vm-a' }]);
    await rig.reconciler.reconcile('vnf-1');
    expect(vnfcsOf(rig)[0].error).toBeUndefined();
    expect(rig.sent).toEqual([]);
  });

  it('when ESC reports a VM not alive outside a job, then its VNFC is marked at once with what ESC said, and nothing is sent', async () => {
    const rig = buildRig(
      [entry('a', 'vm-a'), entry('b', 'vm-b')],
      [
        { vmId: 'a', name: 'vm-a', state: 'VM_ERROR_STATE' },
        { vmId: 'b', name: 'vm-b' },
      ],
    );
    const alive = (vmid: string, status: string) =>
      rig.reconciler.onEscEvent({
        type: 'VM_ALIVE',
        status,
        statusMessage: `VM [vm-${vmid}] is not alive.`,
        tenant: 't',
        depname: 'dep',
        vmSource: { vmid, interfaces: [] },
      });
    alive('a', 'FAILURE');
    await waitUntil(() => vnfcsOf(rig)[0].error !== undefined);
    expect(vnfcsOf(rig).map((e) => e.error)).toEqual(['VM [vm-a] is not alive.', undefined]);
    expect(rig.failures).toEqual([]);
    // A VM_ALIVE SUCCESS (every deploy sends one per VM) reads nothing: the pass clears marks of VMs alive again.
    const reads = rig.reads();
    alive('a', 'SUCCESS');
    await new Promise((r) => setTimeout(r, 20));
    expect(rig.reads()).toBe(reads);
    expect(rig.sent).toEqual([]);
  });

  it('when a VM_ALIVE comes while VMs came or went, then nothing is sent or saved: the change is left to the workflow end or the pass', async () => {
    const rig = buildRig(
      [entry('a', 'vm-a')],
      [
        { vmId: 'a', name: 'vm-a', state: 'VM_ERROR_STATE' },
        { vmId: 'c', name: 'vm-c' },
      ],
    );
    rig.reconciler.onEscEvent({
      type: 'VM_ALIVE',
      status: 'FAILURE',
      statusMessage: 'down',
      tenant: 't',
      depname: 'dep',
      vmSource: { vmid: 'a', interfaces: [] },
    });
    await waitUntil(() => rig.reads() === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(rig.sent).toEqual([]);
    expect(vnfcsOf(rig)).toEqual([entry('a', 'vm-a')]);
  });

  it.each([
    ['an event of a workflow of ours', { type: 'VM_DEPLOYED', tenant: 't', depname: 'dep' }],
    ['a deployment that is not ours', { type: 'VM_SCALE_OUT_COMPLETE', tenant: 't', depname: 'other' }],
  ])('when given %s, then nothing is read', async (_w, e) => {
    const rig = buildRig([entry('a')], [{ vmId: 'b', name: 'vm-b' }]);
    rig.reconciler.onEscEvent({ status: 'SUCCESS', statusMessage: '', ...e });
    await new Promise((r) => setTimeout(r, 20));
    expect(rig.reads()).toBe(0);
  });

  it('when started, then it reconciles at once and every interval until stopped', async () => {
    const rig = buildRig([entry('a')], [{ vmId: 'a', name: 'vm-a' }], 25);
    rig.reconciler.start();
    await new Promise((r) => setTimeout(r, 120));
    await rig.reconciler.stop();
    const reads = rig.reads();
    expect(reads).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 80));
    expect(rig.reads()).toBe(reads);
  });
});
