import { ShutdownAbort } from '../../../src/lifecycle/lifecycle-errors';
import type { OperationContext, Southbound } from '../../../src/lifecycle/southbound';
import { silentLog } from '../../../src/logging/log';
import type { DriverEvent } from '../../../src/rules/driver-event';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';
import { DriverEventTaps } from '../../../src/wiring/driver-event-taps';

const VNF: VnfRecord = {
  vnfInstanceId: 'vnf-1',
  vnfmId: 'vnfm-1',
  vnfInstanceName: 'fw_lb_1',
  vnfdId: 'fw-lb-1.0',
  vnfPackageId: 'csar',
  escTenant: 't',
  escDeployment: 'dep-1',
  status: 'ACTIVE',
  attributes: {
    vnfType: 'vFW',
    healingOwner: 'onap',
    escGroups: { g_fw: { vduId: 'vdu_fw' } },
    vnfcs: [{ vnfcInstanceId: 'vm-0', vduId: 'vdu_fw', vmId: 'vm-0', vmName: 'fw-0', vmGroup: 'g_fw', nics: [] }],
  },
  createdAt: '',
  updatedAt: '',
};

function taps(): { taps: DriverEventTaps; seen: DriverEvent[] } {
  const seen: DriverEvent[] = [];
  const store = {
    getVnf: (id: string) => (id === VNF.vnfInstanceId ? VNF : undefined),
    findByDeployment: (t: string, d: string) => (t === 't' && d === 'dep-1' ? VNF : undefined),
  };
  return { taps: new DriverEventTaps({ emit: (e) => seen.push(e) }, store, silentLog), seen };
}

describe('driver event taps', () => {
  it('when the sink wants no escEvent of that type, then none is emitted and no VNF is looked up', async () => {
    const seen: DriverEvent[] = [];
    const lookups: string[] = [];
    const store = {
      getVnf: () => undefined,
      findByDeployment: (_t: string, d: string) => void lookups.push(d),
    };
    const sink = { emit: (e: DriverEvent) => void seen.push(e), wantsEscEvent: (type: string) => type === 'VM_ALIVE' };
    const t = new DriverEventTaps(sink, store, silentLog);
    t.escEvent({ type: 'SERVICE_ALIVE', status: 'SUCCESS', statusMessage: '', tenant: 't', depname: 'dep-1' }, 'a:830');
    t.escEvent({ type: 'VM_ALIVE', status: 'SUCCESS', statusMessage: '', tenant: 't', depname: 'dep-1' }, 'a:830');
    await new Promise((r) => setImmediate(r));
    expect(seen.map((e) => (e.kind === 'escEvent' ? e.type : e.kind))).toEqual(['VM_ALIVE']);
    expect(lookups).toEqual(['dep-1']);
  });

  it('when an escEvent of an owned deployment comes, then it carries the VNF, the VDU and the VNFC name, with ESC event time', async () => {
    const { taps: t, seen } = taps();
    t.escEvent(
      {
        type: 'VM_ALIVE',
        status: 'FAILURE',
        statusMessage: 'down',
        statusCode: '500',
        eventTime: '2026-01-02T03:04:05Z',
        tenant: 't',
        depname: 'dep-1',
        vmGroup: 'g_fw',
        vmSource: { vmid: 'vm-0', vmname: 'esc-name-0', interfaces: [] },
      },
      '10.0.0.1:830',
    );
    t.escEvent({ type: 'VM_ALIVE', status: 'SUCCESS', statusMessage: '', tenant: 'x', depname: 'other' }, '10.0.0.1:830');
    await t.settled();
    expect(seen[0]).toEqual({
      kind: 'escEvent',
      type: 'VM_ALIVE',
      status: 'FAILURE',
      statusCode: '500',
      statusMessage: 'down',
      escHost: '10.0.0.1:830',
      tenant: 't',
      deployment: 'dep-1',
      vmGroup: 'g_fw',
      vduId: 'vdu_fw',
      escVmName: 'esc-name-0',
      vmId: 'vm-0',
      vmName: 'fw-0',
      vnf: { vnfInstanceId: 'vnf-1', vnfInstanceName: 'fw_lb_1', vnfType: 'vFW', vnfmId: 'vnfm-1', healingOwner: 'onap' },
      timeMs: Date.parse('2026-01-02T03:04:05Z'),
    });
    expect(seen[1]).toMatchObject({ kind: 'escEvent', deployment: 'other' });
    expect(seen[1]).not.toHaveProperty('vnf');
  });

  it('when an ESC goes down twice and comes back, then one unreachable and one reachable event are told; a first contact tells nothing', () => {
    const { taps: t, seen } = taps();
    t.escReachable('a:830');
    t.escUnreachable('a:830', new Error('closed'));
    t.escUnreachable('a:830', new Error('refused'));
    t.escReachable('a:830');
    t.escReachable('a:830');
    expect(seen.map((e) => e.kind)).toEqual(['escUnreachable', 'escReachable']);
  });

  it('when the reconciler stores a RESULT, then a reconcile difference names the VMs added and removed', async () => {
    const { taps: t, seen } = taps();
    const stored: unknown[] = [];
    const outbox = t.notifyOutbox({ enqueue: (m) => Promise.resolve({ inserted: stored.push(m) > 0 }) }, true);
    const vnfc = (changeType: string, vmId: string) => ({
      vnfcInstanceId: vmId,
      vduId: 'vdu_fw',
      changeType,
      vimId: 'v',
      vmId,
      vmName: 'fw-0',
    });
    await outbox.enqueue({
      vnfmId: 'vnfm-1',
      vnfInstanceId: 'vnf-1',
      jobId: 'j',
      status: 'RESULT',
      operation: 'Heal',
      body: {
        status: 'RESULT',
        operation: 'Heal',
        affectedVnfc: [vnfc('REMOVED', 'vm-0'), vnfc('ADDED', 'vm-9')],
        affectedVl: [],
        affectedCp: [],
        affectedVirtualStorage: [],
      },
    });
    expect(stored).toHaveLength(1);
    expect(seen).toEqual([expect.objectContaining({ kind: 'reconcileDifference', operation: 'Heal', added: ['vm-9'], removed: ['vm-0'] })]);
  });

  it('when a job fails, then jobFailed names the operation, job, VNF and error code; a job stopped by the shutdown tells nothing', async () => {
    const { taps: t, seen } = taps();
    const failing = () => Promise.reject(Object.assign(new Error('ESC refused'), { code: 'ESC_REJECTED' }));
    const inner = { heal: failing, operate: failing } as unknown as Southbound;
    const sb = t.southbound(inner);
    const ctx = (signal: AbortSignal) => ({ job: { jobId: 'job-1' }, vnf: VNF, signal }) as unknown as OperationContext<never>;
    await expect(sb.heal(ctx(new AbortController().signal))).rejects.toThrow('ESC refused');
    const stopping = new AbortController();
    stopping.abort(new ShutdownAbort());
    await expect(sb.operate(ctx(stopping.signal))).rejects.toThrow('ESC refused');
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'jobFailed', operation: 'heal', jobId: 'job-1', errorCode: 'ESC_REJECTED', message: 'ESC refused' }),
    ]);
  });

  it('when a stored Notify removes VMs, then each VM gone for good is a vmRemoved event; one added back under its name is not', async () => {
    const { taps: t, seen } = taps();
    let inserted = true;
    const outbox = t.notifyOutbox({ enqueue: () => Promise.resolve({ inserted }) });
    const vnfc = (changeType: string, vmId: string, vmName: string) => ({
      vnfcInstanceId: vmId,
      vduId: 'vdu_fw',
      changeType,
      vimId: 'v',
      vmId,
      vmName,
    });
    const msg = (operation: 'Heal' | 'Terminate', affectedVnfc: ReturnType<typeof vnfc>[]) => ({
      vnfmId: 'vnfm-1',
      vnfInstanceId: 'vnf-1',
      jobId: 'j',
      status: 'RESULT' as const,
      operation,
      body: { status: 'RESULT', operation, affectedVnfc, affectedVl: [], affectedCp: [], affectedVirtualStorage: [] },
    });
    await outbox.enqueue(msg('Heal', [vnfc('REMOVED', 'vm-0', 'fw-0'), vnfc('ADDED', 'vm-9', 'fw-0'), vnfc('REMOVED', 'vm-1', 'fw-1')]));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      kind: 'vmRemoved',
      operation: 'Heal',
      vmName: 'fw-1',
      vmId: 'vm-1',
      vduId: 'vdu_fw',
      vnf: { vnfInstanceName: 'fw_lb_1' },
    });
    inserted = false;
    await outbox.enqueue(msg('Terminate', [vnfc('REMOVED', 'vm-0', 'fw-0')]));
    expect(seen).toHaveLength(1);
  });

  it('when a terminate job ends well, then vnfTerminated names the VNF; a failed one tells jobFailed only', async () => {
    const { taps: t, seen } = taps();
    let fail = false;
    const inner = { terminate: () => (fail ? Promise.reject(new Error('ESC refused')) : Promise.resolve()) } as unknown as Southbound;
    const sb = t.southbound(inner);
    const ctx = { job: { jobId: 'job-7' }, vnf: VNF, signal: new AbortController().signal } as unknown as OperationContext<never>;
    await sb.terminate(ctx);
    fail = true;
    await expect(sb.terminate(ctx)).rejects.toThrow('ESC refused');
    expect(seen.map((e) => e.kind)).toEqual(['vnfTerminated', 'jobFailed']);
    expect(seen[0]).toMatchObject({ jobId: 'job-7', vnf: { vnfInstanceId: 'vnf-1', vnfInstanceName: 'fw_lb_1' } });
  });
});
