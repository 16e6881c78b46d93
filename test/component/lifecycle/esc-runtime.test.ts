import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLog } from '../../../src/logging/log';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { EscConnectionPool } from '../../../src/esc/esc-connection-pool';
import type { EscEventView } from '../../../src/esc/esc-event-view';
import { DEFAULT_ESC_RUNTIME_SETTINGS } from '../../../src/esc/esc-runtime-settings';
import { EscSouthbound } from '../../../src/lifecycle/esc-southbound';
import { NetconfEscConnector } from '../../../src/esc/netconf-esc-connector';
import type { InstantiateVnfRequest, TerminateVnfRequest } from '../../../src/lifecycle/requests';
import { buildContext, buildNslcm, buildOutbox, buildVnf } from './esc-runtime-fakes';

function buildInstantiateRequest(overrides: Partial<InstantiateVnfRequest> = {}): InstantiateVnfRequest {
  return {
    vnfInstanceName: 'fw_lb_1',
    vnfPackageId: 'csar-1',
    vnfDescriptorId: 'fw-lb-1.0',
    extVirtualLink: ['fw_mgmt', 'lb_mgmt'].map((cpdId) => ({ vlInstanceId: 'vl-ext-1', resourceId: 'ext-net', cpdId })),
    additionalParam: { inputs: { 'internal_vl.network': 'int-net' }, vimId: { cloud_owner: 'owner1', cloud_regionid: 'region1' } },
    ...overrides,
  };
}

describe('ESC runtime against the ESC simulator', () => {
  let sim: RunningSimulator;
  let pool: EscConnectionPool<EscEventView>;
  let dir: string;

  beforeEach(async () => {
    sim = await startSimulator({
      port: 0,
      users: [{ username: 'admin', password: 'secret' }],
      vimConnectors: [{ id: 'owner1_region1', projects: ['tenant1'] }],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-rt-'));
    const connector = new NetconfEscConnector({
      knownHostsPath: path.join(dir, 'known_hosts'),
      strictHostKeyChecking: 'accept-new',
      connectTimeoutMs: 5000,
      rpcTimeoutMs: 5000,
      reconnectInitialMs: 50,
      reconnectMaxMs: 500,
    });
    const target = { host: sim.host, port: sim.port, userName: 'admin', password: 'secret' };
    pool = new EscConnectionPool<EscEventView>({
      connector,
      locator: { locate: async () => target, invalidate: () => undefined },
      log: silentLog,
    });
  });

  afterEach(async () => {
    await pool.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function southbound(nslcm = buildNslcm(), outbox = buildOutbox(), deadlineMs?: number) {
    const settings = {
      ...DEFAULT_ESC_RUNTIME_SETTINGS,
      recheckIntervalMs: 1000,
      cleanupTimeoutMs: 5000,
      deadlinesMs: deadlineMs ? { instantiate: deadlineMs } : {},
    };
    return { sb: new EscSouthbound({ esc: pool, nslcm, outbox, settings }), nslcm, outbox };
  }

  it('when a VNF is instantiated then terminated, then ESC holds its VMs in between and Notify names exactly them', async () => {
    const { sb, nslcm, outbox } = southbound();
    const vnf = buildVnf();
    await sb.instantiate(buildContext(buildInstantiateRequest(), vnf));

    const deployed = sim.snapshot().deployments;
    expect(deployed).toHaveLength(1);
    const vmIds = deployed[0].vms.map((v) => v.vmId).sort();
    expect(vmIds.length).toBeGreaterThan(0);
    expect(nslcm.grants[0].addResource).toHaveLength(vmIds.length);
    const result = outbox.sent.find((m) => m.status === 'RESULT')!;
    expect(result.body.affectedVnfc.map((v) => v.vmId).sort()).toEqual(vmIds);
    expect(result.body.affectedVnfc.every((v) => v.changeType === 'ADDED')).toBe(true);
    expect(vnf.get().status).toBe('ACTIVE');

    const terminate: TerminateVnfRequest = { terminationType: 'GRACEFUL', gracefulTerminationTimeout: 5 };
    await sb.terminate(buildContext(terminate, vnf, { jobId: 'job-2' }));
    expect(sim.snapshot().deployments).toHaveLength(0);
    const removed = outbox.sent.filter((m) => m.status === 'RESULT' && m.jobId === 'job-2')[0];
    expect(removed.body.affectedVnfc.map((v) => v.vmId).sort()).toEqual(vmIds);
    expect(nslcm.grants[1].removeResource).toHaveLength(vmIds.length);
    expect(vnf.get().status).toBe('TERMINATED');
  });

  it("when ESC fails a VM at VM_ALIVE, then the job fails with ESC's message and ESC is left clean", async () => {
    sim.addFault({ kind: 'fail-at', step: 'VM_ALIVE', message: 'VM did not answer ping' });
    const { sb } = southbound();
    await expect(sb.instantiate(buildContext(buildInstantiateRequest(), buildVnf()))).rejects.toThrow(/VM did not answer ping/);
    expect(sim.snapshot().deployments).toHaveLength(0);
  });

  it('when ESC rejects the deploy with an rpc-error, then the job fails naming the rejection and nothing is deployed', async () => {
    sim.addFault({ kind: 'reject', match: { deployment: '*' }, message: 'quota exceeded' });
    const { sb } = southbound();
    await expect(sb.instantiate(buildContext(buildInstantiateRequest(), buildVnf()))).rejects.toThrow(
      /ESC rejected deploy.*quota exceeded/,
    );
    expect(sim.snapshot().deployments).toHaveLength(0);
  });

  it('when NSLCM refuses the grant, then nothing is sent to ESC and the job fails saying so', async () => {
    const { sb } = southbound(buildNslcm({ refuse: 'no capacity' }));
    await expect(sb.instantiate(buildContext(buildInstantiateRequest(), buildVnf()))).rejects.toThrow(/grant.*no capacity/);
    expect(sim.snapshot().deployments).toHaveLength(0);
  });

  it('when ESC never finishes the deploy, then the job fails at the deadline naming what it waited for', async () => {
    sim.addFault({ kind: 'never-finish', step: 'SERVICE_ALIVE' });
    const { sb } = southbound(undefined, undefined, 1500);
    await expect(sb.instantiate(buildContext(buildInstantiateRequest(), buildVnf()))).rejects.toThrow(
      /timed out .* waiting for SERVICE_ALIVE of deployment/,
    );
    expect(sim.snapshot().deployments).toHaveLength(0);
  });

  it('when a VNF is scaled out 2, in 1, healed, stopped and started, then each Notify names exactly the VMs opdata shows changed', async () => {
    const { sb, outbox } = southbound();
    const vnf = buildVnf();
    await sb.instantiate(buildContext(buildInstantiateRequest(), vnf));
    const vmIds = () => sim.snapshot().deployments[0].vms.map((v) => v.vmId);
    const resultOf = (jobId: string) => outbox.sent.find((m) => m.status === 'RESULT' && m.jobId === jobId)!.body;

    const before = vmIds();
    await sb.scale(
      buildContext({ type: 'SCALE_OUT' as const, aspectId: 'vdu_fw', numberOfSteps: 2, additionalParam: {} }, vnf, { jobId: 'out' }),
    );
    const added = vmIds().filter((id) => !before.includes(id));
    expect(added).toHaveLength(2);
    expect(
      resultOf('out')
        .affectedVnfc.map((v) => v.vmId)
        .sort(),
    ).toEqual(added.sort());

    const beforeIn = vmIds();
    await sb.scale(
      buildContext({ type: 'SCALE_IN' as const, aspectId: 'vdu_fw', numberOfSteps: 1, additionalParam: {} }, vnf, { jobId: 'in' }),
    );
    const removed = beforeIn.filter((id) => !vmIds().includes(id));
    expect(removed).toHaveLength(1);
    expect(resultOf('in').affectedVnfc).toEqual([expect.objectContaining({ vmId: removed[0], changeType: 'REMOVED' })]);

    const target = vmIds()[0];
    await sb.heal(buildContext({ action: 'vmReset', affectedvm: { vmid: target } }, vnf, { jobId: 'heal' }));
    expect(resultOf('heal').affectedVnfc).toEqual([expect.objectContaining({ vmId: target, changeType: 'MODIFIED' })]);

    await sb.operate(buildContext({ changeStateTo: 'STOPPED' as const, gracefulStopTimeout: 0 }, vnf, { jobId: 'stop' }));
    expect(sim.snapshot().deployments[0].state).toBe('SERVICE_STOPPED_STATE');
    expect(await sb.query(vnf.get(), 'vnfm-1', silentLog)).toMatchObject({ vnfStatus: 'ACTIVE', escState: 'SERVICE_STOPPED_STATE' });
    await sb.operate(buildContext({ changeStateTo: 'STARTED' as const, gracefulStopTimeout: 0 }, vnf, { jobId: 'start' }));
    expect(await sb.query(vnf.get(), 'vnfm-1', silentLog)).toMatchObject({ vnfStatus: 'ACTIVE', escState: 'SERVICE_ACTIVE_STATE' });
  });

  it("when scaling in past the group's lower bound, then the job fails with the bounds in the message", async () => {
    const { sb } = southbound();
    const vnf = buildVnf();
    await sb.instantiate(buildContext(buildInstantiateRequest(), vnf));
    await expect(
      sb.scale(
        buildContext({ type: 'SCALE_IN' as const, aspectId: 'vdu_fw', numberOfSteps: 5, additionalParam: {} }, vnf, { jobId: 'in' }),
      ),
    ).rejects.toThrow(/outside its bounds/);
  });

  it('when a resumed instantiate finds its deployment no longer in ESC, then it ends at once naming that, and NSLCM gets the RESULT of its START', async () => {
    const { sb, outbox } = southbound();
    const vnf = buildVnf();
    const state = {
      deadlineAt: Date.now() + 600_000,
      grant: { vimId: 'owner1_region1', tenant: 'tenant-1' },
      flavorsSent: true,
      deploySent: true,
      startSent: 'Instantiate',
    };
    const started = Date.now();
    const ctx = buildContext(buildInstantiateRequest(), vnf, { jobId: 'resumed', state, resumed: true });
    await expect(sb.instantiate(ctx)).rejects.toThrow(/ESC no longer holds deployment /);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outbox.sent.filter((n) => n.jobId === 'resumed' && n.status === 'RESULT')).toHaveLength(1);
    expect(sim.snapshot().deployments).toEqual([]);
  });
});
